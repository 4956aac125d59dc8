"""The field catalog is the one source of truth, and its header matching is forgiving."""

from plangen.fields import CATALOG, HeaderIndex, Sheet, normalize_header


def test_field_names_and_labels_are_unique_within_each_sheet() -> None:
    for fields in CATALOG.values():
        names = [f.name for f in fields]
        labels = [normalize_header(f.label) for f in fields]
        assert len(names) == len(set(names))
        assert len(labels) == len(set(labels))


def test_no_alias_of_one_field_is_the_label_of_another() -> None:
    for fields in CATALOG.values():
        labels = {normalize_header(f.label): f.name for f in fields}
        for f in fields:
            for alias in f.aliases:
                assert labels.get(normalize_header(alias), f.name) == f.name, (f.name, alias)


def test_choice_fields_have_choices_and_others_do_not() -> None:
    for fields in CATALOG.values():
        for f in fields:
            assert bool(f.choices) == (f.kind.value == "choice"), f.name


def test_headers_match_ignoring_case_spaces_punctuation_and_accents() -> None:
    index = HeaderIndex.for_fields(CATALOG[Sheet.VISITS])
    assert index.match("  VISIT   date ") == "visit_date"
    assert index.match("Date of Visit") == "visit_date"
    assert index.match("Strategy #1") == "strategy_1"
    assert index.match("Plan B?") == "strategy_1_plan_b"
    assert index.match("Stratégie") is None
    children = HeaderIndex.for_fields(CATALOG[Sheet.CHILDREN])
    assert children.match("Child's Name") == "child_name"
    assert children.match("DOB") == "date_of_birth"
    assert children.match("Idioma") == "family_language"
