"""Write the bundled sample workbook, input/sample-program.xlsx.

Riverbend Early Intervention is an invented program; every person in it is invented.
The sample covers ISO weeks 2026-W44 … 2026-W47 (Mon 2026-10-26 … Sun 2026-11-22), plus a
few earlier visits as history, and is built to be read "as of" 2026-11-20.

    PYTHONPATH=src python tools/make_sample.py [OUT.xlsx]

Deterministic: no randomness, no "today". Re-running gives the same cells (the xlsx
container's own timestamps still change).
"""

# ---------------------------------------------------------------------------------------------
# Coordinator flags this sample fires, as of 2026-11-20 ("within 30 days" = 2026-11-20 …
# 2026-12-20). Every child not named under a flag is built so that flag does NOT fire:
# reviews next due after 2026-12-20, annual meetings after 2026-12-20, 3rd-birthday windows
# opening after 2026-12-20, services ending at the 3rd birthday, consent only where named.
#
#  1  periodic review due soon  C-1001 Zoë        IFSP 2026-06-10, no review yet → due 2026-12-10
#     periodic review overdue   C-1006 José Ángel last review 2026-05-05 → was due 2026-11-05
#  2  annual IFSP due soon      C-1003 Bảo        IFSP 2025-12-08 → annual 2026-12-08
#                                                 (last review 2026-06-25 → next 2026-12-25: quiet)
#     annual IFSP overdue       C-1009 Luca       IFSP 2025-11-12 → annual was due 2026-11-12
#                                                 (the one IFSP date older than a year, on purpose;
#                                                 last review 2026-06-26 → next 2026-12-26: quiet)
#  3  transition window opens   C-1002 D'Andre    DOB 2024-09-05 → window opens 2026-12-05
#     transition window closes  C-1012 Noor       DOB 2024-02-25 → 3rd birthday − 90 d = 2026-11-27
#                                                 (part_b_eligible "no": no LEA notice)
#     LEA notification due      C-1011 Theo       DOB 2024-03-15, part_b_eligible "yes" →
#                                                 notify by 2027-03-15 − 90 d = 2026-12-15 (the
#                                                 same date closes his window, so "window closes"
#                                                 fires for Theo as well)
#  4  outcome met, not marked   C-1004 Amara      visit 2026-11-16 sc_outcome_met "2"; Outcomes
#                                                 sheet still has outcome 2 "in progress"
#  5  services end soon         C-1013 Oskar      service_end_date 2026-12-12, last review
#                                                 2026-09-24 (before it)
#     services ended (past)     C-1014 Ivy        service_end_date 2026-11-13, last review
#                                                 2026-08-20; visits go on
#  6  change to IFSP requested  C-1007 Valentina  visit 2026-11-04: add a speech-language consult
#     resources requested       C-1006 José Ángel visit 2026-11-03: library story time & WIC
#     concern for the SC        C-1008 Kai        visit 2026-11-05: caregiver exhausted, asks respite
#  7  two missed in a row       C-1008 Kai        2026-11-12 cancelled by provider, 2026-11-19 no-show
#     no done visit in 30 days  C-1005 Rowan      last done visit 2026-10-19 (11-02 cancelled by
#                                                 family; nothing since)
#     (not a flag: one missed)  C-1004 Amara      2026-10-26 cancelled by family, then back weekly
#  8  consent: copy allowed     C-1001 Zoë        consents "grandmother; Little Steps child care"
#                                                 (2026-06-10); visit 2026-11-17 copy for
#                                                 "Little Steps child care" → allowed, no flag
#     consent: not named        C-1002 D'Andre    consent names "grandmother" only; visit 2026-11-11
#                                                 asks a copy for "grandfather" → withheld
#     consent: revoked          C-1014 Ivy        consent "aunt" revoked 2026-10-02; visit
#                                                 2026-11-12 asks a copy for "aunt" → withheld
#  9  family asks to end        C-1010 Hazel      visit 2026-11-16 family_wants_exit "yes"
# 10  concurrent planning       C-1007 Valentina  CPS, case opened 2026-05-04 → month 6: stage 2
#                                                 (information, no flag)
#     case past 15 months       C-1009 Luca       court, case opened 2025-07-15 → month 16: flag
#     stage entered by hand     C-1005 Rowan      CPS, case opened 2026-05-26 (computes stage 2),
#                                                 case_stage "1" by hand (family moved in October)
#
# Also exercised: 3 strategies in one plan (C-1011 Theo, 2026-11-09); Spanish plans (C-1006,
# C-1007); Vietnamese family with English text (C-1003, language fallback); names with accents
# and apostrophes; "&" (routine "Bath & bedtime", resources "… & WIC"); "<" ("< 5 minutes");
# quotes in caregiver's words; one visit by a second provider (C-1004, OT on 2026-11-09).
# ---------------------------------------------------------------------------------------------

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))

from plangen.fields import CATALOG, Kind, Sheet  # noqa: E402
from plangen.starter import write_workbook  # noqa: E402

OUT = ROOT / "input" / "sample-program.xlsx"
AS_OF = dt.date(2026, 11, 20)

COORDINATORS = {
    "Harriet Okafor": "harriet.okafor@example.org",
    "Miguel Serrano-Díaz": "miguel.serrano@example.org",
    "Tamsin Boyle": "tamsin.boyle@example.org",
}
PROVIDERS = {
    "Maren Holloway": "educator",
    "Lucía Ferreira": "speech-language",
    "Nkechi Adeyemi": "occupational therapy",
    "Gideon Park": "physical therapy",
}
HARRIET, MIGUEL, TAMSIN = COORDINATORS
MAREN, LUCIA, NKECHI, GIDEON = PROVIDERS


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# --- Children --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kid:
    child_id: str
    name: str
    dob: str
    coordinator: str
    provider: str
    caregivers: str
    relationship: str
    referral: str  # "YYYY-MM-DD source"
    ifsp: str
    review: str = ""
    language: str = "English"
    priorities: str = ""
    strengths: str = ""
    end: str = ""  # services end; blank = the day before the 3rd birthday
    part_b: str = ""
    case_open: str = ""
    stage: str = ""
    consent: str = ""  # "who; who | signed YYYY-MM-DD [| expires …] [| revoked …]"

    def row(self) -> dict[str, Any]:
        born = d(self.dob)
        ref_date, ref_source = self.referral.split(" ", 1)
        row: dict[str, Any] = {
            "child_id": self.child_id,
            "child_name": self.name,
            "date_of_birth": born,
            "caregiver_names": self.caregivers,
            "caregiver_relationship": self.relationship,
            "family_language": self.language,
            "coordinator_name": self.coordinator,
            "coordinator_email": COORDINATORS[self.coordinator],
            "primary_provider": self.provider,
            "referral_date": d(ref_date),
            "referral_source": ref_source,
            "ifsp_date": d(self.ifsp),
            "last_review_date": d(self.review) if self.review else None,
            "service_end_date": d(self.end) if self.end else third_birthday(born)
            - dt.timedelta(days=1),
            "part_b_eligible": self.part_b,
            "case_open_date": d(self.case_open) if self.case_open else None,
            "case_stage": self.stage,
            "family_priorities": self.priorities,
            "family_strengths": self.strengths,
        }
        if self.consent:
            who, *dates = (part.strip() for part in self.consent.split("|"))
            row["consent_share_with"] = who
            for item in dates:
                word, date = item.split()
                key = {"signed": "consent_date", "expires": "consent_expires"}.get(
                    word, "consent_revoked"
                )
                row[key] = d(date)
        return row


def third_birthday(born: dt.date) -> dt.date:
    return born.replace(year=born.year + 3)


KIDS = [
    Kid("C-1001", "Zoë", "2025-04-18", HARRIET, GIDEON,
        "Siobhán O'Connor and Declan O'Connor", "mother, father", "2026-05-07 physician",
        ifsp="2026-06-10",
        priorities="Zoë walking so she can keep up with her big brother Finn",
        strengths="Siobhán and Declan share the routines; Finn (5) is Zoë's biggest fan; "
        "her Little Steps teachers are on board",
        consent="grandmother; Little Steps child care | signed 2026-06-10 | expires 2027-06-10"),
    Kid("C-1002", "D'Andre", "2024-09-05", HARRIET, LUCIA,
        "Keisha Barnes; Loretta Barnes (Grandma Lo)", "mother; grandmother",
        "2026-02-02 physician", ifsp="2026-03-12", review="2026-09-10", part_b="yes",
        priorities="D'Andre telling us what he wants without a meltdown; knowing what "
        "happens when he turns 3",
        strengths="Three generations at home; Grandma Lo reads to him every night; "
        "D'Andre loves trucks and music",
        consent="grandmother | signed 2026-03-12 | expires 2027-03-12"),
    Kid("C-1003", "Bảo", "2025-09-02", HARRIET, NKECHI,
        "Lan Trần and Huy Trần", "mother, father", "2025-10-30 hospital",
        ifsp="2025-12-08", review="2026-06-25", language="Vietnamese",
        priorities="Bảo eating more of the family's food and gaining weight",
        strengths="Bà Nội (grandmother) cooks for him with great patience; Lan and Huy "
        "notice every small change; a close, calm household"),
    Kid("C-1004", "Amara", "2025-01-22", HARRIET, MAREN,
        "Ngozi Eze and Tobi Eze", "mother, father", "2026-03-09 parent",
        ifsp="2026-04-15", review="2026-10-14", language="",
        priorities="Amara feeding herself; Amara playing longer with one thing",
        strengths="Ngozi and Tobi are playful and calm; books all over the house; "
        "Amara is curious and determined"),
    Kid("C-1005", "Rowan", "2025-06-30", HARRIET, GIDEON,
        "Jess Calloway", "mother", "2026-05-28 child protective services",
        ifsp="2026-07-08", case_open="2026-05-26", stage="1",
        priorities="Rowan walking; a steady place to live",
        strengths="Jess keeps Rowan's routines going through big changes; Rowan is a "
        "happy, social boy who loves to be on the move"),
    Kid("C-1006", "José Ángel", "2024-11-10", MIGUEL, LUCIA,
        "Yesenia Muñoz y Rigoberto Muñoz", "madre, padre", "2025-12-29 physician",
        ifsp="2026-02-05", review="2026-05-05", language="Spanish",
        priorities="Que José Ángel hable más y nos diga lo que quiere; conocer actividades "
        "para niños en la comunidad",
        strengths="Familia unida y cariñosa; Ximena (6 años) juega mucho con su hermano; "
        "cantan juntos en casa"),
    Kid("C-1007", "Valentina", "2025-02-14", MIGUEL, MAREN,
        "Daniela Ríos y Carmen Ríos", "madre; abuela", "2026-05-20 child protective services",
        ifsp="2026-06-29", language="Spanish", case_open="2026-05-04",
        priorities="Que Valentina duerma mejor en la noche y que diga lo que necesita",
        strengths="Daniela es constante y pide ayuda cuando la necesita; la abuela Carmen "
        "la apoya todos los días; Valentina es alegre y cariñosa"),
    Kid("C-1008", "Kai", "2025-08-11", MIGUEL, NKECHI,
        "Brianna Holt", "mother", "2025-12-10 hospital",
        ifsp="2026-01-20", review="2026-07-21",
        priorities="Calmer diaper changes and car rides; more sleep for both of us",
        strengths="Brianna reads Kai's signals well and is very loving; Kai lights up "
        "at music and faces"),
    Kid("C-1009", "Luca", "2025-03-03", MIGUEL, MAREN,
        "Shannon Pryce", "mother", "2025-10-01 court",
        ifsp="2025-11-12", review="2026-06-26", case_open="2025-07-15",
        priorities="Luca talking more; calmer evenings",
        strengths="Shannon has kept every visit since the summer; her sister Mel helps "
        "every week; Luca is affectionate and loves trucks"),
    Kid("C-1010", "Hazel", "2025-05-25", MIGUEL, GIDEON,
        "Leah Marsh and Owen Marsh", "mother, father", "2026-01-26 physician",
        ifsp="2026-03-02", review="2026-09-01", language="",
        priorities="Hazel keeping up at the playground",
        strengths="Leah and Owen are outdoors a lot; Hazel is fearless and adores the dog"),
    Kid("C-1011", "Theo", "2024-03-15", TAMSIN, LUCIA,
        "Aaliyah Grant and Marcus Grant", "mother, father", "2026-02-10 child care",
        ifsp="2026-03-20", review="2026-09-18", part_b="yes",
        priorities="Theo talking in sentences; getting ready for preschool",
        strengths="Aaliyah and Marcus are a strong team; Theo loves cars and songs; "
        "his Sunny Days teachers partner with the family",
        consent="Sunny Days child care | signed 2026-03-20 | expires 2027-03-14"),
    Kid("C-1012", "Noor", "2024-02-25", TAMSIN, NKECHI,
        "Samira Haddad and Yusuf Haddad", "mother, father", "2026-01-14 physician",
        ifsp="2026-02-26", review="2026-08-27", part_b="no",
        priorities="Noor doing more by herself; a good plan for after she turns 3",
        strengths="Samira and Yusuf are patient teachers; big family nearby; Noor loves "
        "to help"),
    Kid("C-1013", "Oskar", "2026-05-02", TAMSIN, GIDEON,
        "Ingrid Halvorsen and Tom Halvorsen", "mother, father", "2026-05-26 physician",
        ifsp="2026-06-25", review="2026-09-24", end="2026-12-12",
        priorities="Oskar turning his head both ways and enjoying tummy time",
        strengths="Ingrid and Tom try new ideas right away; Oskar is smiley and loves voices"),
    Kid("C-1014", "Ivy", "2025-10-08", TAMSIN, MAREN,
        "Rachel Moreau", "mother", "2026-04-06 relative",
        ifsp="2026-05-13", review="2026-08-20", end="2026-11-13",
        priorities="Ivy moving around to get her toys",
        strengths="Rachel is warm and attentive; Ivy is a content, watchful baby",
        consent="aunt | signed 2026-05-13 | revoked 2026-10-02"),
]


# --- Outcomes --------------------------------------------------------------------------------
# (number, kind, status, target date, statement, criteria, progress notes[, status date])
# The status date defaults to the child's last review, else the IFSP date.

IP, MET, CONT = "in progress", "met", "continue"

OUTCOMES: dict[str, list[tuple[str, ...]]] = {
    "C-1001": [
        ("1", "child", IP, "2026-12-10",
         "Zoë will walk along furniture and take steps to her family to reach toys she wants.",
         "She cruises the length of the couch and takes 3 steps to a parent, 3 days in a week.",
         "Cruises short distances holding on with both hands; stands alone 3–4 seconds."),
        ("2", "family", IP, "2026-12-10",
         "Siobhán and Declan will know ways to help Zoë stand and move during dressing, "
         "bath and play.",
         "They can name two ways they help Zoë stand each day without looking at the plan.",
         "Both use the couch-dressing routine; Declan leads bath time."),
    ],
    "C-1002": [
        ("1", "child", IP, "2027-03-10",
         "D'Andre will use words or signs to ask for help and for things he wants.",
         "He asks with a word or sign (not crying or pulling) 5 times a day, 3 days in a row.",
         "About 15 words; uses 'more', 'up', 'open' and the sign for help."),
        ("2", "child", IP, "2027-03-10",
         "D'Andre will put two words together during play and snack.",
         "He says 10 different two-word phrases in a week ('more juice', 'truck go').",
         "First two-word phrase ('bye truck') in October."),
        ("3", "family", IP, "2027-06-01",
         "Keisha and Loretta will learn about programs for D'Andre after he turns 3, "
         "including Part B preschool.",
         "They have visited or called two programs and know the transition timeline.",
         "Transition planning starts in December."),
    ],
    "C-1003": [
        ("1", "child", IP, "2027-03-01",
         "Bảo will eat soft mashed foods from a spoon with the family at meals.",
         "He eats 10 or more spoonfuls of mashed food at 2 meals a day for a week.",
         "Takes 4–6 spoonfuls of smooth purée; gags on lumps."),
        ("2", "family", MET, "2026-06-30",
         "Lan and Huy will know how to seat Bảo so he is steady and comfortable for eating.",
         "He sits in the high chair with his feet supported at every meal.",
         "Footrest box in place; met at the June review."),
        ("3", "child", IP, "2027-03-01",
         "Bảo will pick up small pieces of soft food and bring them to his mouth.",
         "He feeds himself 5 soft pieces at a meal.",
         "Rakes food with his whole hand; starting to use thumb and finger."),
    ],
    "C-1004": [
        ("1", "child", IP, "2027-01-15",
         "Amara will stay with a toy or book with her family for 5 minutes.",
         "She plays with one toy for 5 minutes with an adult, 3 times in a week.",
         "Plays 1–2 minutes, then moves on."),
        ("2", "child", IP, "2027-01-15",
         "Amara will use a spoon to feed herself yogurt and oatmeal.",
         "She scoops and gets most spoonfuls to her mouth at 2 meals a day.",
         "Scoops with help; started loading the spoon on her own in October."),
    ],
    "C-1005": [
        ("1", "child", IP, "2027-01-08",
         "Rowan will walk on his own across a room to get to people and toys he wants.",
         "He walks 10 steps without holding on, most days in a week.",
         "Walks 4 steps between a parent and the couch."),
        ("2", "family", IP, "2027-01-08",
         "Jess will have a safe floor space for Rowan to move and play wherever they are "
         "staying.",
         "Jess sets up a clear play space in a new place within a day or two.",
         "Set up a path at home in October; family moved mid-October."),
    ],
    "C-1006": [
        ("1", "child", IP, "2027-02-05",
         "José Ángel usará palabras para pedir lo que quiere en la comida y el juego.",
         "Pide con una palabra (agua, más, pan) 10 veces en un día.",
         "About 8 words; uses 'más' and 'agua' every day."),
        ("2", "child", CONT, "2027-02-05",
         "José Ángel seguirá instrucciones sencillas en las rutinas de la casa.",
         "Sigue 'trae tus zapatos' o 'dame el vaso' sin gestos, 3 de 4 veces.",
         "Follows with a point; continued at the May review."),
        ("3", "family", IP, "2027-02-05",
         "La familia conocerá actividades gratuitas en la comunidad para que José Ángel "
         "juegue con otros niños.",
         "Van a una actividad (biblioteca, parque, grupo de juego) cada semana.",
         "Family asked for library and WIC information in November."),
    ],
    "C-1007": [
        ("1", "family", IP, "2027-01-15",
         "Daniela tendrá una rutina para la hora de dormir que funcione para ella y Valentina.",
         "Valentina se duerme en su cuna antes de las 9 p. m., 5 noches de 7.",
         "Bedtime was around 10 pm; bath-book-song routine started in October."),
        ("2", "child", IP, "2027-01-15",
         "Valentina usará gestos y palabras para decir lo que necesita.",
         "Usa 10 palabras o señas para pedir (más, agua, mamá, abajo).",
         "About 5 words; points and pulls an adult's hand."),
    ],
    "C-1008": [
        ("1", "child", IP, "2027-01-20",
         "Kai will calm with his mom's help within a few minutes when he is upset during "
         "diaper changes and car rides.",
         "He calms within 3 minutes with her help, most times in a week.",
         "Arches and cries at changes; calms to deep pressure and singing."),
        ("2", "family", IP, "2027-01-20",
         "Brianna will have people she can call on for a break.",
         "Brianna names two people or places she can call for help with Kai.",
         "Brianna's aunt helps some weekends."),
    ],
    "C-1009": [
        ("1", "child", MET, "2026-06-30",
         "Luca will play back-and-forth games with his mom (rolling a ball, peekaboo).",
         "He takes 5 turns back and forth, 3 times in a week.",
         "Met at the June review."),
        ("2", "child", IP, "2027-01-31",
         "Luca will use 10 words to name people and things he wants.",
         "He uses 10 different words in a week without being asked to copy them.",
         "Says 'mama', 'ba' (ball/banana), 'uh-oh'."),
        ("3", "family", IP, "2027-01-31",
         "Shannon will have an evening routine that helps Luca settle for sleep.",
         "Luca is in bed by 8:30 pm most nights, without a long meltdown.",
         "Evenings are hardest at the switch from TV to bath."),
    ],
    "C-1010": [
        ("1", "child", MET, "2026-09-01",
         "Hazel will walk on her own inside and outside the house.",
         "She walks across the yard and the house without holding on.",
         "Met at the September review."),
        ("2", "child", IP, "2027-03-01",
         "Hazel will climb up and down the porch steps and the playground ladder with a "
         "hand to hold.",
         "She goes up and down the two porch steps holding one hand, every day for a week.",
         "Climbs up holding the rail; comes down on her bottom."),
    ],
    "C-1011": [
        ("1", "child", IP, "2027-03-14",
         "Theo will use 2–3 word phrases to ask, tell and comment.",
         "He uses 3-word phrases at home and at child care every day for a week.",
         "Uses 2-word phrases often; some 3-word phrases."),
        ("2", "child", IP, "2027-03-14",
         "Theo will join a short group activity (story time, circle) and stay with the group "
         "for 5 minutes.",
         "He stays 5 minutes at circle at Sunny Days, 3 days in a week (now < 2 minutes).",
         "Leaves circle after a minute or two; stays longer holding a book."),
        ("3", "family", IP, "2027-03-14",
         "Aaliyah and Marcus will know Theo's preschool options and take part in planning his "
         "move from EI at age 3.",
         "They have a transition plan they helped write and have seen one preschool.",
         "Family has many questions; transition plan started in September."),
    ],
    "C-1012": [
        ("1", "child", IP, "2027-02-24",
         "Noor will put on her coat and shoes with a little help.",
         "She puts on her coat and shoes with help only for zippers, every day for a week.",
         "Coat on with help for both arms; shoes with help."),
        ("2", "child", MET, "2026-08-27",
         "Noor will use a spoon and an open cup at meals.",
         "She eats a meal with a spoon and drinks from an open cup without spilling much.",
         "Met at the August review."),
        ("3", "family", CONT, "2027-02-24",
         "Samira and Yusuf will plan Noor's move from EI at age 3 (community preschool or "
         "child care).",
         "The transition conference is held and the family knows the next steps.",
         "Continued at the August review: transition conference still to be scheduled."),
    ],
    "C-1013": [
        ("1", "child", IP, "2026-12-12",
         "Oskar will turn his head all the way to both sides to look at his family during "
         "play and feeding.",
         "He turns fully right and left to find a voice, most times in a day.",
         "Turns fully left; right about three-quarters of the way."),
        ("2", "child", IP, "2026-12-12",
         "Oskar will enjoy tummy time and push up on his forearms to play.",
         "He plays on his tummy 10 minutes a day (now < 5 minutes at a time).",
         "Lifts his head on a parent's chest; fusses on the floor."),
    ],
    "C-1014": [
        ("1", "child", MET, "2026-08-20",
         "Ivy will sit on her own to play with toys in both hands.",
         "She sits without support for 5 minutes while playing.",
         "Met at the August review."),
        ("2", "child", IP, "2027-02-20",
         "Ivy will crawl or scoot to get toys she wants.",
         "She moves across the rug to a toy on her own, every day for a week.",
         "Rocks on hands and knees."),
    ],
}


# --- Visits: one card per child --------------------------------------------------------------
# "@ date time status" starts a visit. Keys (indentation is only for reading):
#   routine, outcomes, practiced, used/worked/hard/still (how the last plan went), s1 s2 s3
#   (strategy title) followed by "- step" lines and who/when/why/b (Plan B), words (the
#   caregiver's own words), focus, next (only when the next visit is not on this card: the
#   default is one week later, same time), change, resources, concern, met, exit, share,
#   by (a provider other than the child's primary provider).
# A line that starts with none of these continues the line above it.

VISITS: dict[str, str] = {}

VISITS["C-1001"] = """
@ 2026-10-27 09:30 done
routine: Getting dressed
outcomes: 1; 2
practiced: Zoë pulled to stand at the couch and held on while Siobhán pulled up her leggings.
  We moved her socks to the far end of the cushion and she side-stepped to get them twice.
s1: Stand at the couch to get dressed
  - Lay Zoë's clothes along the couch cushion, one piece at a time
  - Help her up to stand with both hands on the cushion
  - Pull on pants and socks while she holds on, and tell her "Up, Zoë!"
  who: Siobhán in the morning; Declan on Saturdays
  when: Getting dressed every morning, and into pajamas after bath
  why: Standing while she helps with her clothes builds the leg and hip strength she needs to
    walk
  b: If she sits straight down, rest one hand on her tummy for a few seconds of support, then
    let go a little at a time
s2: Toy at the far end
  - Put her favorite toy (the blue bus) at the other end of the couch
  - Wait, and cheer when she steps sideways toward it
  who: Siobhán, Declan and big brother Finn
  when: Play after breakfast, a few minutes at a time
  why: Stepping sideways along furniture comes right before walking on her own
  b: Move the bus one step away so she gets it quickly, then a little farther each time
words: "Clothes go on the couch, not the floor. She stands, we dress."
focus: How standing for dressing went; cruising from the couch to the coffee table.

@ 2026-11-03 09:30 done
routine: Play
outcomes: 1
used: yes
worked: Zoë pulls up at the couch by herself as soon as she sees her clothes laid out. Finn
  loved being in charge of the bus.
hard: On tired mornings she sits right back down.
still: yes
practiced: Cruising from the couch to the coffee table with a small gap between them. After
  three tries Zoë let go with one hand and reached across on her own.
s1: Mind the gap
  - Pull the coffee table out so there is a small gap (about her arm's length) from the couch
  - Put a snack cup or a toy on the table
  - Stay behind her and let her reach across by herself
  who: Siobhán and Declan
  when: Play after breakfast and before dinner
  why: Letting go with one hand teaches her to shift her weight — the balance she needs for
    her first steps
  b: If the gap worries her, push the table back against the couch and open it again the
    next day
words: "Finn is in charge of the bus. I'm in charge of the gap."
focus: Outdoor play: standing at the porch rail and walking on the grass.

@ 2026-11-10 09:30 done
routine: Outdoor play
outcomes: 1
used: partly
worked: The gap works: she crosses from the couch to the table and back.
hard: It rained most of the week, so they hardly got out to the porch. Declan wasn't sure how
  far to let her go before catching her.
still: yes
practiced: Zoë stood at the porch rail to watch the neighbor's dog, then walked on the grass
  holding Declan's hands. Declan tried holding her hands at her shoulders instead of above
  her head, and she took bigger, steadier steps.
s1: Hands at her shoulders
  - Stand behind Zoë and hold her hands at shoulder height, not up high
  - Let her lead and walk at her speed
  - Stop at a goal (the dog, the mailbox) and cheer
  who: Declan on weekend walks; Siobhán on the way to the mailbox
  when: Outdoor play, a short walk each day the weather allows
  why: With her hands low she uses her own balance instead of hanging from ours
  b: If she leans back or lifts her feet, stop, let her stand steady, then start again
s2: Toy on the rail
  - Put a toy on the porch rail and let her pull up to reach it
  - Slide it along the rail so she steps after it
  who: Siobhán
  when: Getting the mail; on rainy days, the windowsill inside
  why: Standing on a new surface builds balance and confidence
  b: If the rail is wet or cold, use the windowsill inside the same way
words: "Hands at her shoulders and let her drive." — Declan
focus: First steps between Siobhán and Declan at bedtime.

@ 2026-11-17 09:30 done
routine: Bath & bedtime
outcomes: 1; 2
used: yes
worked: Zoë took two steps on her own from Declan to Siobhán on Saturday, and she walks to
  the mailbox holding one of Declan's hands.
hard: She gets cross when the walk ends; Siobhán wasn't sure what to do at the door.
still: yes
practiced: After bath Zoë stepped from Declan to Siobhán on the bedroom rug — three steps on
  the best try. While the tub filled she knelt up at the side and reached for her cups.
s1: One step to a hug
  - After pajamas, Declan holds Zoë standing by her hips on the rug
  - Siobhán kneels one big step away with her arms open
  - Declan lets go and Zoë steps (or tumbles) into the hug
  - When two steps are easy, Siobhán scoots back a little
  who: Siobhán and Declan together
  when: Every night after bath, 3 or 4 tries — stop while it's still fun
  why: A short walk to someone she loves gives her a reason to let go, and every try builds
    balance and confidence
  b: If she drops to crawl, hold one of her hands and walk the last step with her
s2: Kneel up at the tub
  - While the bath fills, help Zoë kneel up on the bath mat holding the tub edge
  - Float her cups just out of reach so she stretches up and over
  who: Whoever runs the bath
  when: Every bath, while the water runs
  why: Kneeling tall makes her hip and tummy muscles work together, the same ones she walks
    with
  b: If she sits back on her heels, move the cups closer so she lifts up to grab them
words: "One step to a hug" — she knows it now. Tara at Little Steps wants to try it at nap
  time too.
share: Little Steps child care
focus: Bring her shoes: steps in shoes, and how it's going at Little Steps. Her IFSP review is
  coming up — we'll look at how far she has come on walking.
"""

VISITS["C-1002"] = """
@ 2026-10-28 15:30 done
routine: Afternoon snack
outcomes: 1; 2
practiced: D'Andre handed Keisha the closed cracker container. She looked at him and waited,
  and he signed "help" and said "open". We counted the wait together: about 5 seconds.
s1: Wait for "open"
  - Put the crackers in a container he can't open by himself
  - When he hands it to you, look at him and count to 5 in your head
  - When he says or signs "open" or "help", open it right away: "Open! You said open!"
  who: Keisha after daycare pickup; Grandma Lo on Tuesdays and Thursdays
  when: Afternoon snack, every day
  why: He learns that his words and signs make things happen — faster than crying does
  b: If he starts to get upset, say the word for him ("open?") and take any try, even "o"
s2: Add one word
  - When he says one word, say it back with one more: "juice" becomes "more juice"
  - No need for him to repeat it
  who: Everyone at home
  when: Snack and dinner
  why: Hearing his own word with one more added shows him how two-word phrases work
  b: If he doesn't notice, keep going — he is still hearing it every time
words: "Count to five in my head and look at him like I'm waiting on the bus."
focus: Bath time: the same waiting, with bath toys in a jar.

@ 2026-11-04 15:30 done
routine: Bath time
outcomes: 1; 2
used: yes
worked: Grandma Lo heard "open" four times at Thursday's snack, and once "open it"!
hard: Waiting is hard for Keisha when he's already tired after daycare.
still: yes
practiced: Bath toys in a clear jar with a lid. When Loretta held up the duck and the boat,
  D'Andre said "duck" and reached for it.
s1: Duck or boat?
  - Hold up two bath toys, one in each hand, and name them: "Duck or boat?"
  - Wait for him to say, sign or point
  - Hand it over and add a word: "Duck swim!"
  who: Grandma Lo (she does most baths)
  when: Bath time, 3 or 4 choices each bath
  why: Choices give him lots of chances to use words in a routine he already loves
  b: If he just grabs, hold both toys a little higher and give the first sound: "d…"
s2: Short waits on tired days
  - On tired days, wait just 2 or 3 seconds instead of 5
  - Still say the word for him before you open it
  who: Keisha
  when: Snack after daycare
  why: A short wait still gives him his turn without a meltdown
  b: If he's already crying, help first, and save the wait for later in the evening
words: "Duck or boat — make him tell me." — Loretta
focus: Keisha's question: what happens when D'Andre turns 3? Play with his trucks.

@ 2026-11-11 15:30 done
routine: Play with trucks
outcomes: 2; 3
used: yes
worked: D'Andre said "boat go" and "duck swim" in the bath — two words together!
hard: The evenings Keisha does bath are rushed.
still: yes
practiced: Trucks on the kitchen floor: "Ready, set… go!" with a pause before "go". D'Andre
  said "go" every time and "truck go" twice. We also talked about turning 3: what Part B
  preschool is, and that his team will start planning with the family in December.
s1: Ready, set… wait
  - Line up his trucks at the top of the ramp (a couch cushion)
  - Say "Ready, set…" and pause, holding the truck
  - When he says "go" (or "truck go"), let it zoom
  who: Keisha; his grandpa Ray on Saturdays
  when: Play after dinner, a few turns
  why: The pause gives him a turn to talk, and the fun keeps him wanting to say it
  b: If he doesn't say "go", make a big "g…" sound and wait again
s2: Questions about preschool
  - Keep a list of questions about preschool on the fridge
  - Bring it to the next visit
  who: Keisha and Loretta
  when: Whenever a question comes up
  why: Your questions shape D'Andre's transition plan
  b: If a question can't wait, call Harriet (service coordinator)
words: "His grandpa Ray wants to do trucks with him on Saturdays. Can he get a copy of this?"
share: grandfather
focus: Go over the preschool questions; "ready, set, go" at the playground.

@ 2026-11-18 15:30 done
routine: Playground
outcomes: 1; 2
used: partly
worked: "Ready, set, go" is a hit — D'Andre says "ready set go" with Grandpa Ray at the slide.
hard: The question list got lost behind the magnets. Keisha remembered two: does he need to
  be potty trained for preschool, and will he ride a bus?
still: yes
practiced: At the park: waiting at the top of the slide for "go", and asking for "push" on
  the swing. D'Andre said "more push" three times.
s1: More push
  - Push him 2 or 3 times, then slow the swing to a stop
  - Look at him and wait
  - When he says "push" or "more push", push again
  who: Keisha and Grandpa Ray
  when: Trips to the park on weekends
  why: He loves the swing, so he has a strong reason to use two words
  b: Say "more…" and let him fill in "push"
words: "He told me 'more push' three times. I'm counting that!"
focus: Snack and play at home; answers to the potty and bus questions. Harriet will call
  about planning for when D'Andre turns 3.
"""

VISITS["C-1003"] = """
@ 2026-10-29 10:00 done
routine: Lunch
outcomes: 1
practiced: Lan offered congee blended a little thicker than usual. Bảo took 6 spoonfuls when
  she waited for his mouth to open and rested the spoon on his lower lip so he closed his
  lips on it. (Ms. Thu interpreted.)
s1: Wait for the open mouth
  - Show Bảo the spoon at his eye level and say "Ready?"
  - Wait for him to open his mouth before the spoon comes in
  - Rest the spoon on his lower lip and let him close his lips around it
  who: Lan at lunch; Bà Nội at breakfast
  when: Breakfast and lunch, every day
  why: When he leads, eating feels safe, and he learns to use his lips to clear the spoon
  b: If he turns away, put the spoon down, let him touch the food with his fingers, then try
    once more
s2: A little thicker every few days
  - Blend the congee a little less every 2 or 3 days
  - Keep one smooth spoonful ready in case he needs a break
  who: Huy (he cooks the congee on weekends)
  when: Breakfast
  why: Small changes help his mouth get used to new textures without upsetting him
  b: If he gags more than twice, go back to yesterday's texture for a few days
words: "Wait for his mouth to open — he is the boss of the spoon."
focus: A few soft lumps: mashed sweet potato.

@ 2026-11-05 10:00 done
routine: Breakfast
outcomes: 1; 3
used: yes
worked: Bảo opens his mouth as soon as he sees the spoon now. Bà Nội says he ate half a bowl.
hard: He gagged on the thicker congee twice and Huy got worried.
still: yes
practiced: Mashed sweet potato from the spoon, and soft banana pieces on the tray — Bảo picked
  up two by himself. We talked about gagging (a normal, safe reflex) and how it looks
  different from choking.
s1: Soft pieces on the tray
  - Put 3 or 4 pea-size pieces of banana or soft-cooked carrot on his tray
  - Let him pick them up; clap when one reaches his mouth
  who: Bà Nội at breakfast
  when: Start of breakfast, before the spoon
  why: Picking up small pieces builds his finger pinch and lets him explore food at his pace
  b: If the pieces slip, cut them bigger (finger-length) so he can hold them in his fist
s2: Calm faces for a gag
  - If he gags, stay calm and smile; let him work it out
  - Wait a moment before the next bite
  who: Lan and Huy
  when: Any meal with lumps
  why: Gagging is his body keeping him safe; calm faces help him keep trying new textures
  b: If he gags 3 times in a meal, go back to smoother food for the rest of that meal
words: "Gagging is him learning. Coughing is OK. We stay calm." — Huy
focus: Family dinner at the table, with Huy there.

@ 2026-11-12 10:00 done
routine: Family dinner
outcomes: 1; 3
used: partly
worked: Bảo fed himself banana and soft tofu; his pinch is getting stronger.
hard: Huy works evenings, so the thicker congee only happened on the weekend.
still: yes
practiced: Bảo sat in his high chair pulled up to the family table, with soft tofu and rice
  mashed in broth. He held his own spoon while Lan fed him with another, and watched
  everyone chew.
s1: Eat together
  - Pull the high chair up to the family table
  - Give Bảo his own spoon to hold while you feed him with another
  - Eat a little of the same food so he can watch you chew
  who: The whole family
  when: Dinner, most nights
  why: He learns by watching you chew, and holding his own spoon is the first step to using it
  b: If he throws the spoon, give him a short, thick-handled spoon or a teether to hold
words: "He wants to eat what we eat."
focus: Snack: pear pieces and sips from an open cup.

@ 2026-11-19 10:00 done
routine: Morning snack
outcomes: 1; 3
used: yes
worked: Bảo sits at the table for dinner every night and holds his own spoon; twice he put it
  in his mouth by himself. Huy says he "watches our chopsticks like TV."
hard: Bà Nội worries he isn't eating enough when he feeds himself, so she finishes with the
  spoon quickly.
still: yes
practiced: Bảo fed himself soft pear pieces, then took sips from a small open cup that Lan
  held with him. We talked with Bà Nội about letting him try first and then helping — both
  count.
s1: His turn, then our turn
  - Put 4 or 5 soft pieces on his tray and let him feed himself first
  - After he's had a go, offer the spoon for the rest of the bowl
  - Tell him what he did: "You ate the pear!"
  who: Bà Nội at breakfast and snack; Lan at lunch
  when: Every meal — his turn first
  why: He keeps practicing with his fingers and chewing, and still fills his tummy from the
    spoon
  b: If he gets upset and pushes the food away, take a short break with a song, then offer
    the spoon
s2: Sips from an open cup
  - Put a little water (a finger's depth) in a small cup
  - Hold the cup with him and tip it slowly to his lower lip
  - Let him pull back when he's done
  who: Lan
  when: End of snack and lunch
  why: Sipping from a cup works his lips and tongue in a more grown-up way than the bottle
  b: If water runs out of his mouth, try a thicker drink such as drinkable yogurt
words: "First he tries, then we help. Both are good."
focus: Bảo's yearly IFSP meeting with Harriet is coming in December: bring your list of foods
  he eats now and what you want next. Lunch with lumpier food.
"""

VISITS["C-1004"] = """
@ 2026-10-19 13:00 done
routine: Lunch
outcomes: 2
practiced: Amara held her spoon in her fist and scooped thick yogurt while Ngozi steadied the
  bowl. Once the spoon was full she got it to her mouth by herself 4 times.
s1: Thick food, steady bowl
  - Choose foods that stick to the spoon: yogurt, oatmeal, mashed potato
  - Put the bowl on the non-slip mat so it stays put
  - Hand Amara the spoon and let her scoop; help with the scoop only, not the trip to her mouth
  who: Ngozi at lunch; Tobi at breakfast on weekends
  when: Breakfast and lunch, every day
  why: Thick food stays on the spoon, so she succeeds more often and wants to keep trying
  b: If she gets frustrated, load the spoon and hand it to her so she still brings it to her
    mouth
words: "Sticky food, sticky mat, she does the rest."
focus: Book time on the couch: staying with one book a little longer.

@ 2026-10-26 13:00 cancelled by family

@ 2026-11-02 13:00 done
routine: Books on the couch
outcomes: 1
used: yes
worked: Amara got her yogurt in by herself at most lunches; the non-slip mat made the biggest
  difference.
hard: Oatmeal was too runny at first — Tobi made it thicker on Saturday and it worked. She was
  sick last week, so they took a few days off.
still: yes
practiced: Ngozi and Amara read the farm book on the couch. Instead of reading every word,
  Ngozi pointed to a picture, made the animal sound and waited. Amara stayed about 3 minutes
  and said "moo" and "baa".
s1: Pictures and sounds, not every word
  - Let Amara pick the book (offer two)
  - Point to one picture, make its sound, and wait for her to look or copy
  - Let her turn the pages, even if she skips some
  who: Ngozi after nap; Tobi at bedtime
  when: After nap and at bedtime
  why: When the book is her game she stays longer, and that is how her attention for play grows
  b: If she climbs down, take the book to wherever she is on the floor and keep going there
s2: Two toys on the rug
  - Keep most toys in the closet bin and put two out on the rug
  - Swap them for two others every few days
  who: Ngozi
  when: Morning play
  why: With fewer toys she plays longer with each one instead of moving from thing to thing
  b: If she asks for a toy that's put away, trade: one comes out, one goes back
words: "I let her be the boss of the book. She stayed way longer!"
focus: Nkechi (OT) comes next week at breakfast to look at how Amara holds her spoon.

@ 2026-11-09 13:00 done
by: Nkechi Adeyemi
routine: Breakfast
outcomes: 2
used: partly
worked: Book time is a bedtime habit now; Tobi counted almost 5 minutes with the truck book.
  Two toys on the rug helped too.
hard: Swapping the toys was hard to remember on busy days.
still: yes
practiced: At breakfast Amara scooped well but turned the spoon over on the way up. With a
  short, thick-handled spoon and her thumb on top, most spoonfuls stayed upright.
s1: The chunky spoon
  - Use the short, thick-handled spoon for oatmeal and yogurt
  - Put it in her hand with her thumb on top
  - Let her do the whole trip; wipe up after, not during
  who: Ngozi and Tobi
  when: Breakfast and lunch
  why: A thicker handle is easier to hold steady, so more food reaches her mouth
  b: If the spoon still flips, wrap the handle in a washcloth with a hair tie to make it
    fatter
words: "Thumb on top, hands off, wipe later."
focus: Maren is back next week: lunch and play together.

@ 2026-11-16 13:00 done
routine: Lunch and play
outcomes: 1; 2
used: yes
worked: Amara fed herself a whole cup of yogurt and her oatmeal with the chunky spoon every
  day this week, with only a little help at the end. She shouts "me do!" and grabs the spoon.
hard: It's messy, and Grandma found the mess hard to watch when she visited.
still: yes
practiced: Amara fed herself lunch from start to finish. Then she and Ngozi took turns with the
  shape sorter for about 4 minutes.
s1: Your turn, my turn
  - Sit across from Amara with one toy between you (shape sorter, stacking cups)
  - Take one turn, then hand it back: "Your turn!"
  - Keep turns quick and cheer when she finishes
  who: Ngozi; Tobi on weekends
  when: Play after lunch, once a day
  why: Taking turns keeps her with one toy longer, and she learns to play with someone
  b: If she walks off, wait a minute, then play with it yourself with big sounds — she
    usually comes back
words: "She doesn't need me for the spoon anymore. That's one goal done!"
met: 2
focus: Tell Harriet the spoon outcome looks met; grow play time toward 5 minutes.
"""

VISITS["C-1005"] = """
@ 2026-10-05 11:00 done
routine: Play on the living room floor
outcomes: 1; 2
practiced: Rowan stood up from the floor using Jess's knee and walked 4 steps between Jess and
  the couch. We cleared a path along the couch to the coffee table.
s1: A clear path
  - Move the laundry basket and shoes off the path from the couch to the table
  - Put his stacking cups at the end of the path
  - Cheer when he gets there, even if he holds on
  who: Jess
  when: Morning play, a few times
  why: A safe, clear path lets him walk a little farther each day
  b: If he crawls instead, sit at the end of the path and call him; walk with him holding one
    hand if he wants
s2: Stand up from the floor
  - When he's sitting, hold a toy just above where he can reach sitting down
  - Let him push up to stand by himself
  who: Jess
  when: Play time
  why: Getting up on his own builds the leg strength he needs to walk farther
  b: Offer your knee or a low box to push up on
focus: Walking outside, from the front door to the bus stop.

@ 2026-10-19 11:00 done
routine: Errands: walking to the bus stop
outcomes: 1; 2
used: partly
worked: Rowan walks 6–8 steps on his own now, and he loves the stacking-cup game.
hard: They moved in with Jess's cousin last week; there is less floor space and a lot going
  on.
still: yes
practiced: We walked from the cousin's front door to the bus stop. Rowan held Jess's finger
  most of the way and walked the last few steps on his own. We found a corner of the living
  room with a rug for floor play.
s1: Walk to the bus stop
  - Let Rowan hold one of your fingers, not your whole hand
  - Stop at the cracks or the mailbox and let him stand and look
  - Carry him when he's tired — a little walking each trip counts
  who: Jess
  when: Trips to the bus stop, when there's time
  why: Sidewalks and curbs are harder than the floor and build his balance
  b: If he sits down and won't walk, pick him up and try again at the next corner
s2: The rug corner
  - Keep his cups and ball in a bag by the rug corner
  - Put the bag out at the same time each day
  who: Jess
  when: After lunch
  why: A steady spot to play helps him settle in a new place and keep practicing
  b: If the rug corner is busy, play on the bed with pillows around him
words: "It's a lot right now, but he's still walking. That's the good part."
focus: Floor play in the new space, and what Jess needs right now.

@ 2026-11-02 11:00 cancelled by family
"""

VISITS["C-1006"] = """
@ 2026-10-27 16:00 done
routine: Cena
outcomes: 1
practiced: En la cena, Yesenia puso el vaso de agua cerca pero fuera de su alcance. José Ángel
  lo señaló y dijo "a-a"; ella le dijo "¡Agua!" y se lo dio enseguida. Practicamos esperar
  unos segundos antes de darle las cosas.
s1: Cerca, pero no a su alcance
  - Poner el agua y las tortillas en la mesa donde las vea pero no las alcance
  - Cuando las mire o las señale, esperar y preguntar: "¿Qué quieres?"
  - Si dice cualquier parte de la palabra ("a-a"), dársela enseguida y decir la palabra
    completa: "¡Agua!"
  who: Yesenia en la cena; Rigoberto los fines de semana
  when: La cena todos los días y el desayuno del sábado
  why: Aprende que sus palabras le consiguen lo que quiere, y oye la palabra completa muchas
    veces
  b: Si se frustra, decir la palabra por él, esperar un momentito y dársela de todos modos. La
    próxima vez, esperar otra vez.
words: "Yo espero, él habla. Si dice 'a-a', ya cuenta."
focus: Cómo les fue en la cena; palabras a la hora de vestirse.

@ 2026-11-03 16:00 done
routine: Vestirse en la mañana
outcomes: 1; 2
used: yes
worked: Dijo "pan" y "más" varias veces en la cena. Ximena también espera a que él pida.
hard: Los días que Rigoberto llega tarde, la cena es muy rápida.
still: yes
practiced: Al vestirse, José Ángel trajo sus zapatos cuando Yesenia le dijo "trae tus zapatos"
  y los señaló. Practicamos decir la instrucción una vez, esperar, y solo después ayudar con
  un gesto.
s1: Una instrucción, una espera
  - Decir una cosa sencilla: "Trae tus zapatos"
  - Esperar, contando hasta 5 en silencio
  - Si no se mueve, señalar los zapatos y decirlo otra vez
  who: Yesenia; Ximena puede ser "la maestra de los zapatos"
  when: Al vestirse cada mañana y antes de salir de la casa
  why: Aprende a entender las palabras sin que se las mostremos con las manos
  b: Llevarlo de la mano hasta los zapatos, decir "zapatos" y dejar que él los levante
s2: Nombrar la ropa
  - Decir el nombre de cada prenda al ponérsela: "calcetín", "camisa"
  - Hacer una pausa antes de la última y ver si él la dice
  who: Yesenia
  when: Al vestirse
  why: Escucha las mismas palabras todos los días y empieza a decirlas
  b: Si no la dice, decirla usted con alegría y seguir; no hace falta que la repita
words: "Ximena dice que ella es la maestra de los zapatos."
resources: Information on local library story time & WIC (Yesenia asked for a Spanish-language
  story time if there is one).
focus: Miguel, el coordinador, les va a llamar con la información de la biblioteca y de WIC.
  La próxima vez: palabras en el baño.

@ 2026-11-10 16:00 done
routine: Hora del baño
outcomes: 1; 2
used: yes
worked: Trae sus zapatos casi siempre cuando se lo piden, y dijo "zapato" dos veces. Ximena es
  muy buena maestra.
hard: Cuando tienen prisa, Yesenia termina poniéndole los zapatos ella misma.
still: yes
practiced: En el baño, José Ángel escogió entre el pato y el barco. Cuando Yesenia preguntó
  "¿Pato o barco?", dijo "ba" y luego "barco". Practicamos mostrar dos juguetes y esperar.
s1: ¿Pato o barco?
  - Mostrar dos juguetes, uno en cada mano, y decir sus nombres
  - Esperar a que diga o señale cuál quiere
  - Dárselo y repetir la palabra: "¡Barco! El barco nada."
  who: Quien esté a cargo del baño, Yesenia o Rigoberto
  when: En el baño, todas las noches, 3 o 4 veces
  why: Escoger le da muchas oportunidades de usar palabras en un momento divertido
  b: Si solo agarra, subir un poco los juguetes y decir el primer sonido: "ba…"
s2: Cantar y parar
  - Cantar "Los pollitos dicen" mientras lo enjabona
  - Parar antes de la última palabra ("pío") y esperar
  who: Yesenia
  when: Al final del baño
  why: Le encanta la canción, y la pausa lo invita a completarla con su voz
  b: Si no la dice, terminarla usted con alegría y volver a intentarlo en la siguiente estrofa
words: "Dijo 'barco' clarito. ¡Hasta Rigo lo escuchó!"
focus: Un paseo al parque; pedir en el columpio.

@ 2026-11-17 16:00 done
routine: Juego afuera en el parque
outcomes: 1; 3
used: yes
worked: Dijo "pío" en la canción y "pato" en el baño. El sábado fueron a la hora de cuentos
  en español de la biblioteca.
hard: En la biblioteca se puso tímido y no quiso sentarse con los otros niños.
still: yes
practiced: En el parque practicamos pedir "más" en el columpio. José Ángel dijo "más" cinco
  veces y "ba" por "abajo". Hablamos de cómo acompañarlo en la biblioteca: al principio,
  sentarse atrás con él.
s1: En el columpio: "más"
  - Empujarlo 2 o 3 veces y parar el columpio suavemente
  - Mirarlo y esperar
  - Cuando diga "más" (o "ma"), empujarlo otra vez
  who: Rigoberto los sábados; Yesenia entre semana si hace buen tiempo
  when: Cada vez que vayan al parque
  why: Le encanta el columpio, así que tiene muchas ganas de pedirlo con su palabra
  b: Decir "más…" despacio y dejar que él lo termine
s2: Cuentos desde atrás
  - Sentarse al fondo del grupo con José Ángel en las piernas
  - Dejarlo mirar sin pedirle que participe
  - Acercarse un poquito cada semana
  who: Yesenia
  when: La hora de cuentos de la biblioteca, los sábados
  why: Se acostumbra al grupo a su propio ritmo y luego se anima a participar
  b: Si llora, salir un momento al pasillo, calmarse juntos y volver a entrar
words: "En la biblioteca no habló, pero miró todo. La próxima vez nos sentamos atrás."
focus: Palabras nuevas en la cena. Miguel va a llamar para programar la revisión del IFSP.
"""

VISITS["C-1007"] = """
@ 2026-10-28 17:00 done
routine: Baño y hora de dormir
outcomes: 1
practiced: Daniela y Valentina practicaron la rutina de la noche: baño, pijama, un libro, una
  canción y a la cuna. Valentina miró el libro de animales con su mamá y se calmó con
  "Duérmete mi niña".
s1: Los mismos pasos cada noche
  - Baño a las 8:00 (con una alarma en el teléfono)
  - Pijama, un libro y una canción en el cuarto con la luz baja
  - Acostarla en la cuna todavía despierta y decirle "buenas noches"
  who: Daniela; la abuela Carmen cuando Daniela trabaja tarde
  when: Todas las noches, empezando a las 8:00
  why: Cuando los pasos son iguales cada noche, Valentina sabe lo que viene y se calma más
    fácil
  b: Si llora en la cuna, quedarse a su lado con la mano en su pancita y cantar bajito, sin
    sacarla
words: "Alarma a las 8, baño, libro, canción. Igual cada noche."
focus: Cómo fue la rutina de la noche; palabras en la cena.

@ 2026-11-04 17:00 done
routine: Cena
outcomes: 2
used: partly
worked: Tres noches se durmió antes de las 9:30. La canción la calma mucho.
hard: Las noches que Daniela trabaja, la alarma no sonó en casa de la abuela y el baño fue
  tarde.
still: yes
practiced: En la cena Valentina señalaba lo que quería. Daniela le ofreció arroz o plátano y
  esperó; Valentina dijo "ta" por plátano. Practicamos decir la palabra completa y dárselo
  enseguida.
s1: Dos opciones en la cena
  - Ofrecer dos comidas que le gusten, una en cada mano
  - Decir el nombre de cada una y esperar
  - Cuando diga cualquier sonido o palabra, dársela y repetir la palabra completa
  who: Daniela y la abuela Carmen
  when: En la cena y en la merienda
  why: Aprende que sus palabras funcionan y oye la palabra completa
  b: Si solo señala, decir la palabra, esperar otro momentito y dársela
s2: La misma alarma para todas
  - Poner la alarma de las 8:00 también en el teléfono de la abuela Carmen
  - Pegar la lista de la rutina en la puerta del baño
  who: Daniela
  when: Esta semana
  why: Así la rutina es igual aunque Daniela trabaje tarde
  b: Si la alarma no funciona, Daniela puede llamar a la abuela a las 8:00
words: "Dijo 'ta' por plátano. ¡Ya me lo pide!"
change: Daniela asks to add a speech-language evaluation/consult to the IFSP: Valentina says
  about 5 words at 21 months and Daniela would like a speech-language pathologist's view.
focus: La hora de dormir otra vez, con la abuela Carmen.

@ 2026-11-11 17:00 done
routine: Hora de dormir
outcomes: 1; 2
used: yes
worked: La abuela también usa la alarma; cinco noches Valentina estaba en la cuna antes de las
  9:00.
hard: El domingo hubo visita familiar y se acostó tarde; al día siguiente estaba muy cansada.
still: yes
practiced: Con la abuela Carmen y Daniela leímos el libro de animales antes de dormir.
  Valentina señaló la vaca y dijo "mu" cuando Daniela hizo una pausa. Practicamos las pausas
  en el cuento.
s1: Pausas en el cuento
  - Leer el mismo libro cada noche
  - Antes del sonido del animal, parar y mirarla
  - Cuando haga el sonido, celebrarlo y pasar la página
  who: Daniela; la abuela Carmen
  when: En la rutina de dormir, después de la pijama
  why: La pausa le da su turno para hablar, y los sonidos de animales son de sus primeras
    palabras
  b: Si no hace el sonido, hacerlo usted y dejar que ella toque el dibujo
words: "La abuela dice que ahora Valentina la espera para el cuento."
focus: Jugar en el piso con la muñeca; pedir "más" y "abajo".

@ 2026-11-18 17:00 done
routine: Juego en el piso con la muñeca
outcomes: 2
used: yes
worked: Dice "mu", "guau" y "pío" con el cuento, y se duerme antes de las 9:00 casi todas las
  noches.
hard: Daniela tiene un horario nuevo en el trabajo y a veces llega a las 7:30.
still: yes
practiced: Jugamos con la muñeca en el piso: darle de comer, bañarla y acostarla. Valentina
  dijo "mamá" y "agua" y le dio de comer a la muñeca. Daniela practicó hablar de lo que hace
  Valentina con pocas palabras.
s1: Hablar de lo que ella hace
  - Sentarse en el piso frente a Valentina
  - Decir en 1 o 2 palabras lo que está haciendo: "¡Bebé come!", "¡Agua!"
  - Esperar a ver si ella lo repite o agrega algo
  who: Daniela
  when: Juego antes de la cena, unos 10 minutos
  why: Oye palabras cortas justo cuando está viviendo lo que dicen, y así las aprende más
    rápido
  b: Si se va a otro juguete, seguirla y hablar de ese juguete
s2: Rutina corta los días de trabajo
  - Si Daniela llega a las 7:30, la abuela hace el baño y Daniela el libro y la canción
  - Mantener la misma canción para terminar
  who: Daniela y la abuela Carmen
  when: Las noches que Daniela trabaja tarde
  why: Valentina sigue teniendo su momento con mamá y los mismos pasos de siempre
  b: Si Valentina está muy cansada, saltar el libro y quedarse solo con la canción
words: "Pocas palabras, y que ella hable también."
focus: Cómo van las noches con el horario nuevo de Daniela; palabras en la merienda.
"""

VISITS["C-1008"] = """
@ 2026-10-29 11:00 done
routine: Diaper change
outcomes: 1
practiced: Kai arched and cried as soon as he was laid down. Brianna gave him a firm hug and
  slow squeezes down his arms and legs before the change, and sang "Old MacDonald" in a low
  voice. Kai calmed in about a minute and watched her face.
s1: Squeeze, sing, change
  - Before laying him down, give Kai a big firm hug and slow squeezes down his arms and legs
  - Lay him down slowly, feet first, and sing the same song every time
  - Give him his crinkle toy to hold
  - Have everything open and ready before you start, so the change is quick
  who: Brianna
  when: Every diaper change
  why: Firm, slow touch helps his body feel calm and safe, so changes stop being a fight
  b: If he still arches, change him lying across your lap instead of on the mat
words: "Squeeze, sing, then change. He likes my singing even if nobody else does."
focus: The car seat — the other hard time of day.

@ 2026-11-05 11:00 done
routine: Errands: getting into the car seat
outcomes: 1; 2
used: yes
worked: The squeezes and the song work most of the time; Kai calms in a minute or two now, and
  he laughs at "E-I-E-I-O".
hard: Nights: Kai wakes 4–5 times, and Brianna is exhausted.
still: yes
practiced: Getting into the car seat for a trip to the store. Brianna did the hug and squeezes
  first, let Kai hold the car keys, and sang while she buckled. He fussed but didn't scream. We
  also talked about who Brianna could call on for a break.
s1: A calm start to car rides
  - Do the squeezes and a hug before you walk out the door
  - Let Kai hold something that is only for the car (the keys or the crinkle book)
  - Sing while you buckle, and keep singing until you start driving
  who: Brianna
  when: Every car ride
  why: Starting calm makes the whole ride easier, and the car toy tells him what's coming
  b: If he screams, take him out, hug him for a minute and try again — two tries, then go
s2: One person for a break
  - Write down two people who could watch Kai for an hour (your neighbor Tasha, your aunt)
  - Text one of them this week
  who: Brianna
  when: This week
  why: You matter too — a rested mom is one of the best things for Kai
  b: Ask Miguel (service coordinator) about respite care
words: "I need a break, and it's okay to say that."
concern: Brianna says Kai wakes 4–5 times a night and she is running on very little sleep; she
  asked about respite and help with sleep. Please call her this week (she prefers a text
  first).
focus: Bedtime and nights; who Brianna reached out to.

@ 2026-11-12 11:00 cancelled by provider

@ 2026-11-19 11:00 no-show
"""

VISITS["C-1009"] = """
@ 2026-10-30 10:00 done
routine: Breakfast
outcomes: 2
practiced: Luca pointed at the cereal box. Shannon held it up beside her face, said "cereal?"
  and waited for him to look at her. He said "ce" and she poured right away.
s1: Hold it by your face
  - When Luca points at something, hold it up near your face
  - Say the word once, clearly, and wait
  - When he looks at you or tries the word, give it and say the word again
  who: Shannon
  when: Breakfast and snack
  why: Seeing your face shows him how the word is made, and trying gets him what he wants
  b: If he gets upset, say the word once more and give it — next time wait a little longer
focus: The evening: what's hard between dinner and bed.

@ 2026-11-06 10:00 done
routine: Evening: dinner to bath
outcomes: 3
used: yes
worked: Luca said "ce" (cereal), "ba" (banana) and "mo" (more) at breakfast this week.
hard: Mornings at Mel's house were harder — lots of cousins and noise.
still: yes
practiced: We walked through the evening together: dinner at 6, TV, then bath. The hard part is
  turning off the TV. Shannon tried a two-minute warning with a song timer, and Luca pushed
  the button to turn the TV off himself.
s1: Goodbye, TV
  - Give a warning: "Two more minutes, then bye-bye TV"
  - Start the song timer on your phone
  - When the song ends, Luca pushes the button and waves "bye, TV"
  who: Shannon
  when: Every evening after dinner
  why: Knowing what comes next, and having a job, helps him handle the change without a
    meltdown
  b: If he melts down, stay close and calm, name it ("You're mad, TV is done"), then go
    straight to the bath toys
s2: Straight to the bath
  - Have the bath running before the song ends
  - Take his favorite cup into the bath
  who: Shannon; Mel on Tuesdays
  when: Evenings
  why: Going straight to something fun makes the switch easier
  b: If there's no time for a bath, go to his room and read the truck book instead
words: "He pushed the button himself! No screaming tonight."
focus: Bedtime: winding down.

@ 2026-11-13 10:00 done
routine: Bedtime
outcomes: 2; 3
used: yes
worked: "Goodbye, TV" worked 5 nights out of 7; Luca waves "bye TV" now.
hard: It was a stressful week with lots of appointments, and two nights got off track.
still: yes
practiced: Bedtime in Luca's room: lights low, the truck book, Shannon naming the pictures.
  Luca said "tru" and "ca" and pointed to the dog. He was in bed by 8:15.
s1: Same book, same words
  - Read the truck book every night, pages in the same order
  - Point and name; pause on his favorite pages so he can say the word
  who: Shannon
  when: Bedtime, every night
  why: Hearing the same words every night helps him learn them and say them
  b: If he won't stay in bed for the book, read it sitting together on the floor by the bed
words: "Last week was rough, but we kept bedtime most nights. I'm proud of that."
focus: Play with blocks and new words.

@ 2026-11-20 10:00 done
routine: Play with blocks
outcomes: 2
used: yes
worked: Luca says "truck", "dog" and "bye" and brings the truck book to ask for it.
hard: He threw blocks when a tower fell over.
still: yes
practiced: Block towers on the rug: Shannon built, Luca knocked down, and Shannon waited before
  saying "uh-oh". Luca said "uh-oh" and "more" every time.
s1: Build, wait, crash
  - Build a tower of 3 or 4 blocks together
  - Hold your hand over it, say "Ready…" and wait for him to say "go" or "crash"
  - Let him knock it down and say "Uh-oh!" together
  who: Shannon; Mel at her house
  when: Play after breakfast
  why: Play he loves gives him a reason to use his words again and again
  b: If he throws blocks, put them in the bin for a minute ("Blocks stay on the rug"), then
    try again
words: "He said 'uh-oh' every single time and laughed."
focus: New words at snack. Miguel will call to set a date for Luca's yearly IFSP meeting.
"""

VISITS["C-1010"] = """
@ 2026-10-19 10:00 done
routine: Outdoor play: the porch steps
outcomes: 2
practiced: Hazel climbed the two porch steps holding the rail, with Leah one step below her,
  and came down on her bottom. We practiced turning her around to back down the steps on her
  tummy, feet first.
s1: Porch steps, up and down
  - Stand one step below Hazel with a hand ready near her hips
  - Let her hold the rail and step up, one foot at a time
  - Coming down, turn her to face the steps and let her back down like a ladder
  who: Leah in the morning; Owen after work
  when: Every time you go in or out
  why: Using the real steps every day builds the strength and balance for stairs and ladders
  b: If she's tired, let her scoot down on her bottom — it's still practice
words: "Every time we go out, she does the steps. No carrying."
focus: The playground ladder and slide.

@ 2026-11-02 10:00 done
routine: Playground
outcomes: 2
used: yes
worked: Hazel climbs the porch steps by herself holding the rail, and backing down is her
  favorite new trick.
hard: Owen worried she'd fall when she tried walking down facing forward.
still: yes
practiced: At the park Hazel climbed the short ladder to the little slide with Owen's hand
  near her back, and walked up the ramp holding his hand.
s1: Ladder to the little slide
  - Let Hazel hold both sides of the ladder
  - Keep your hand near her back, not holding her
  - Cheer at the top; slide down together the first time
  who: Owen on weekends; Leah on weekday mornings
  when: Park trips, 2 or 3 times a week
  why: Climbing gets both sides of her body working together and builds her confidence
  b: If she freezes halfway, touch her foot and guide it to the next rung
s2: Walking down, one hand to hold
  - When she wants to walk down the porch steps facing forward, hold one of her hands
  - She holds the rail with her other hand; one step at a time
  who: Owen and Leah
  when: The porch steps
  why: It's her next step, and a hand to hold keeps it safe while she learns
  b: If she rushes, go back to backing down for that trip
words: "Hand near her back, not holding her. That's the hard part for me!" — Owen
focus: Steps and the ladder, and a check-in on how things are going overall.

@ 2026-11-16 10:00 done
routine: Outdoor play: porch and yard
outcomes: 2
used: yes
worked: Hazel walks down the porch steps holding one hand and climbs the playground ladder by
  herself. She runs after the dog in the yard.
hard: Nothing big — with the colder weather it's harder to fit in park trips.
still: no
practiced: Hazel showed us everything: steps up and down holding one hand, climbing and running
  after the dog. We talked about what Leah and Owen have seen since the spring and what they
  want next. They feel Hazel is doing what they hoped for and would like to finish EI this
  month.
s1: Keep the steps going
  - Let Hazel do the porch steps herself every time, with your hand ready
  - At the park, let her try the big slide's ladder when she wants to
  who: Leah and Owen
  when: Every time you go in or out, and park trips
  why: Everyday practice keeps her strong and sure on steps and ladders
  b: If she seems wobbly after being sick, hold both hands for a few days, then go back
words: "We're really grateful. Hazel is doing what we hoped, so we'd like to wrap up after one
  more visit — and we know we can call if anything comes up."
exit: yes
next: 2026-11-30 10:00
focus: A goodbye visit to celebrate Hazel's progress, with ideas for the winter and how to
  come back to Riverbend any time. Miguel will call about the steps for ending services.
"""

VISITS["C-1011"] = """
@ 2026-10-26 16:30 done
routine: Snack after child care
outcomes: 1
practiced: At snack Theo said "want cracker" and "juice please". Aaliyah practiced saying his
  words back with one more added ("want big cracker") and asking "What else?"
s1: One more word
  - When Theo says two words, say them back with one more: "want cracker" → "want big cracker"
  - Don't ask him to repeat it — just say it and keep going
  who: Aaliyah and Marcus
  when: Snack and dinner
  why: Hearing his own idea made a little longer shows him how to build longer sentences
  b: If he doesn't notice, add the word with a gesture (big arms for "big")
s2: Tell me about your day
  - At pickup, look at the Sunny Days photo board together
  - Ask "Who's that?" or "What did you do?" and wait
  who: Marcus at pickup
  when: Pickup at Sunny Days, every weekday
  why: Pictures of his own day give him something real to talk about
  b: If he doesn't answer, say what you see: "You painted! Blue paint!"
words: "Just say it back a bit longer. Don't make him repeat it."
focus: Circle time: Theo leaves circle at Sunny Days after < 2 minutes.

@ 2026-11-02 16:30 done
routine: Story time at home
outcomes: 2
used: yes
worked: Theo said "big truck go fast" in the car on the way home!
hard: The photo board wasn't updated on some days.
still: yes
practiced: A small "circle" at home: Aaliyah, Theo and two stuffed animals on the rug, one song
  and one short book. Theo stayed 3 minutes, longest while he was holding the book.
s1: Mini circle at home
  - Sit on the rug with Theo and two stuffed animals
  - Sing one song with moves, then read one short book
  - Let Theo hold the book and turn the pages
  - Stop before he's done, on a happy note
  who: Aaliyah
  when: Before dinner, 3 or 4 times a week
  why: Short, fun group time at home helps him get used to staying with the group at Sunny Days
  b: If he gets up, let him do the song moves standing, then invite him back for the book
words: "He's the teacher — he holds the book."
focus: Mornings before child care; Marcus will be there.

@ 2026-11-09 16:30 done
routine: Getting ready for child care
outcomes: 1; 2; 3
used: partly
worked: The mini circle lasted 4 minutes twice, and Theo brought his bear to sit in.
hard: Busy weekday mornings — they managed it on the weekend.
still: yes
practiced: Walking through the morning with Aaliyah and Marcus: Theo told Marcus what to pack
  ("bear go school"). We also talked about preschool after 3: what Part B is, and the notice
  to the school district that Tamsin will send in December with the family's OK.
s1: Pack the bag together
  - Put 3 things on the bed: bear, water bottle, jacket
  - Ask Theo "What's next?" and let him name it
  - He puts it in his backpack
  who: Marcus
  when: Every weekday morning
  why: A daily job with words helps him plan and talk in longer sentences
  b: If he just grabs, name it for him in three words: "Bear goes in"
s2: Circle songs in the car
  - On the drive, sing the circle songs from Sunny Days
  - Pause before the last word so he can sing it
  who: Aaliyah
  when: The drive to child care
  why: Practicing circle songs makes circle time at Sunny Days feel familiar
  b: If he's quiet, sing it all yourself and just enjoy it
s3: Preschool questions
  - Keep a note on your phone with questions about preschool
  - Bring it to the next visit
  who: Aaliyah and Marcus
  when: During the week
  why: Your questions shape Theo's transition plan
  b: If a question can't wait, call Tamsin (service coordinator)
words: "We picked all three because they fit different parts of our day — mornings are
  Marcus's."
focus: Your preschool questions; cars and the garage.

@ 2026-11-16 16:30 done
routine: Play with cars and the garage
outcomes: 1; 3
used: yes
worked: Theo packs his bag and says "bear in bag" and "coat on". He sang "The Wheels on the
  Bus" with Aaliyah in the car.
hard: The question list grew — they have lots of questions and feel a bit worried about
  preschool.
still: yes
practiced: Cars and the garage on the floor; Theo told us "car go up" and "car crash down". We
  went over the family's questions: the bus, how many children are in a class, and whether
  Lucía can talk with the teacher.
s1: Say it, then wait
  - Play cars beside Theo and say what your car does in 3 or 4 words
  - Pause and look at him so he can tell you about his car
  who: Marcus and Aaliyah
  when: Play after dinner
  why: Hearing short sentences about the game, and having time to answer, builds his sentences
  b: If he plays without talking, take a turn with his car: "My turn — car goes fast!"
s2: Visit a preschool
  - Tamsin will send the names of two preschools; pick one to visit
  - Bring Theo and watch circle time together
  who: Aaliyah
  when: Before the next visit if you can
  why: Seeing a real classroom makes the next step less scary for all of you
  b: If a visit isn't possible, call and ask the questions on your list
words: "We're nervous about preschool, but less now that we have a plan."
focus: Circle time and snack. Tamsin will talk with you about the school district notice,
  which needs to go out by December 15 (with your OK).
"""

VISITS["C-1012"] = """
@ 2026-10-27 14:00 done
routine: Getting dressed to go out
outcomes: 1
practiced: Samira laid Noor's coat upside down on the floor, and Noor pushed her arms into the
  sleeves and flipped it over her head — by herself on the second try.
s1: The coat flip
  - Lay the coat open on the floor with the hood at Noor's feet
  - Noor puts her arms in the sleeves and flips it over her head
  - Help start the zipper; she pulls it up
  who: Samira; Yusuf on Saturday mornings
  when: Every time you go out
  why: Doing it herself builds her confidence and the arm movements she'll use at preschool
  b: If she gets tangled, help one arm in and let her finish the other
words: "Hood at her feet, then flip!"
focus: Shoes, and the plan for after Noor turns 3.

@ 2026-11-03 14:00 done
routine: Shoes on before the park
outcomes: 1; 3
used: yes
worked: Noor does the coat flip by herself and showed her cousin how.
hard: Starting the zipper is still hard.
still: yes
practiced: Velcro shoes: Noor sat on the bottom stair, pulled the strap open and pushed her foot
  in while Samira held the heel. We also talked about what the family wants after age 3.
s1: Shoes on the stair
  - Noor sits on the bottom stair with her feet flat on the floor
  - Open the strap all the way; she pushes her foot in
  - Hold the back of the shoe while she pulls the strap over
  who: Samira
  when: Before the park and before child care
  why: Sitting steady frees both hands to work on the shoe
  b: If her foot gets stuck, loosen the strap and pull the tongue forward for her
s2: Tell Tamsin what you want after 3
  - Write down what you want for Noor after age 3 (child care, preschool, or both)
  - Ask Tamsin to set up the transition meeting with Noor's child care director there
  who: Samira and Yusuf
  when: This week
  why: The plan for after 3 needs your voice, and the meeting has to happen by November 27
  b: If you can't reach Tamsin, tell Nkechi at the next visit
words: "We want her with kids her age. Tamsin needs to hear that."
focus: Coming home: coat and shoes off; a date for the transition meeting.

@ 2026-11-10 14:00 done
routine: Coming home: coat and shoes off
outcomes: 1
used: yes
worked: Shoes on in under a minute most days; Noor says "I do it!"
hard: Tamsin hasn't called back yet about the meeting.
still: yes
practiced: Coming in from the park, Noor took off her coat, hung it on the low hook Yusuf put
  up, and pulled her shoes off by the heel.
s1: Low hook, shoe mat
  - Coat goes on the low hook, shoes on the mat by the door
  - Show her once, then let her do it
  - Tell her what she did: "Coat on the hook!"
  who: Everyone at home
  when: Every time you come home
  why: A spot for everything helps her do it herself — just like the cubbies at preschool
  b: If she forgets, point to the hook and wait
focus: The zipper.

@ 2026-11-17 14:00 done
routine: Getting dressed in the morning
outcomes: 1; 3
used: yes
worked: Noor hangs up her coat every time and puts her shoes on the mat without being asked.
hard: The zipper, still.
still: yes
practiced: Samira started the zipper and Noor pulled; then we clipped a key ring to the zipper
  pull, and Noor zipped it up by herself twice.
s1: Key-ring zipper
  - Clip a key ring to the zipper pull
  - Samira hooks the bottom of the zipper together
  - Noor holds the bottom and pulls the ring up
  who: Samira
  when: Putting on her coat in the morning
  why: A bigger pull is easier for her fingers, so she can finish the job herself
  b: If it catches, hold the bottom of the coat down for her while she pulls
words: "Key ring trick — she zipped it herself twice!"
focus: The transition meeting with Tamsin and the child care director on November 24;
  Nkechi will come too.
"""

VISITS["C-1013"] = """
@ 2026-10-21 09:00 done
routine: Diaper change
outcomes: 1
practiced: Ingrid moved the mobile to Oskar's right side and talked to him from his right during
  the change. He turned his head about three-quarters of the way to find her.
s1: Talk from his right side
  - Change Oskar with his head toward the wall, so you stand on his right
  - Talk and sing from his right side
  - Wait for him to turn all the way to find your face
  who: Ingrid and Tom
  when: Every diaper change
  why: Turning to the right stretches his tight neck muscle in a way he enjoys
  b: If he doesn't turn, bring your face closer on his right, then move away slowly
s2: Tummy time on Dad's chest
  - Tom leans back on the couch with Oskar on his chest
  - Talk to him so he lifts his head to see your face
  who: Tom after work
  when: Evenings, a few minutes at a time
  why: Tummy time on a person feels cozy, and lifting his head builds neck and shoulder
    strength
  b: If he fusses, try a rolled towel under his chest on the floor with a mirror in front
words: "Stand on his right. He'll find us."
focus: Tummy time on the floor — right now it lasts < 5 minutes.

@ 2026-11-04 09:00 done
routine: Play on the floor (tummy time)
outcomes: 2
used: yes
worked: Oskar turns right to find Ingrid's voice at almost every change. He loves Tom's chest.
hard: Tummy time on the floor still ends in tears after < 5 minutes.
still: yes
practiced: Tummy time over a rolled towel with the baby mirror; Oskar pushed up on his forearms
  for 4 minutes. We put his rattle on his right side so he turned to it.
s1: Towel roll and mirror
  - Roll a bath towel and put it under Oskar's chest, with his arms in front
  - Put the mirror and his rattle a little to his right
  - Get down on the floor at his eye level
  who: Ingrid in the morning; Tom after work
  when: After every diaper change, a few minutes
  why: The towel makes pushing up easier, so he can enjoy tummy time and get stronger
  b: If he cries, roll him onto his side to rest and try again later — short and often is fine
focus: How turning is going, and what's next when PT is planned to end.

@ 2026-11-18 09:00 done
routine: After bath
outcomes: 1; 2
used: yes
worked: Oskar stays on his tummy 6–7 minutes now and sometimes pushes up on straight arms. He
  turns all the way right more often.
hard: He still likes to sleep with his head turned left.
still: yes
practiced: After his bath Oskar lay on his tummy on the towel with Ingrid on his right; then he
  played lying on his left side, looking right at the rubber duck.
s1: Side-lying play
  - Lay Oskar on his left side on the bed with a rolled blanket behind his back
  - Hold the duck above his right shoulder so he looks up and right
  who: Ingrid and Tom
  when: After bath and after naps
  why: Looking up and to the right stretches his neck while he plays
  b: If he rolls onto his back, play the same game with him on his back, duck on his right
s2: Sleep position check
  - Lay him down for sleep on his back with his head toward the door on alternate nights
  - Keep the crib empty — no pillows or wedges
  who: Ingrid and Tom
  when: Bedtime and naps
  why: He turns toward the room, so changing which end his head is at helps him turn both ways
  b: If he always turns left anyway, tell Gideon at the next visit and we'll look at it together
words: "He's so much stronger. We'd like to keep PT until he turns all the way."
next: 2026-12-02 09:00
focus: Talk with Tamsin before PT is planned to end on December 12 — Ingrid and Tom would like
  to keep going.
"""

VISITS["C-1014"] = """
@ 2026-10-29 14:30 done
routine: Play after nap
outcomes: 2
practiced: Ivy sat and played with her stacking rings. When Rachel put a ring a little in front
  of her, Ivy leaned forward onto her hands and got onto her hands and knees, rocking.
s1: Just out of reach
  - When Ivy is sitting, put a favorite toy a little in front of her
  - Wait for her to lean and reach
  - Move it farther only when she gets it easily
  who: Rachel
  when: Play after nap, every day
  why: Reaching forward teaches her to get from sitting to hands and knees — the start of
    crawling
  b: If she fusses, move the toy closer or help her hips over toward her hands
s2: Over your legs
  - Sit on the floor with your legs out straight
  - Put Ivy on one side and a toy on the other side of your legs
  - Let her climb over to get it
  who: Rachel
  when: Evening play
  why: Climbing over your legs builds arm and leg strength for crawling
  b: If she gets stuck, lift her hip gently to help her over
words: "She rocks on her knees like she's revving up."
focus: Crawling in the morning routine; Rachel asked about playgroups nearby.

@ 2026-11-12 14:30 done
routine: Diaper change and getting dressed
outcomes: 2
used: yes
worked: Ivy crawled 3 or 4 "steps" to get her rings on Saturday!
hard: Rachel's back hurts when she sits on the floor for a long time.
still: yes
practiced: After the diaper change Ivy crawled from the changing mat to her basket of socks.
  Rachel sat on a couch cushion on the floor, which was easier on her back.
s1: Crawl to get dressed
  - After the diaper change, put her clothes in a basket a few feet away
  - Ivy crawls to the basket and picks one thing
  - Cheer, then get dressed together
  who: Rachel
  when: Morning diaper change and dressing
  why: A reason to crawl inside a routine you already do means practice every day
  b: If she won't go, move the basket closer
s2: A cushion for you
  - Sit on a couch cushion with your back against the couch
  - Bring the toys to your side of the rug
  who: Rachel
  when: Any floor play
  why: Floor time is easier to keep up when you are comfortable too
  b: If your back still hurts, play with Ivy on the big bed instead
words: "Her aunt Colette wants a copy so she can do it with Ivy on Sundays."
share: aunt
next: 2026-11-26 14:30
focus: Crawling up onto the couch cushions.
"""


# --- Reading the visit cards -----------------------------------------------------------------

VISIT_KEYS = {
    "routine": "routine",
    "outcomes": "outcomes_addressed",
    "practiced": "practiced",
    "used": "followup_used",
    "worked": "followup_worked",
    "hard": "followup_hard",
    "still": "followup_still_priority",
    "words": "caregiver_words",
    "focus": "next_visit_focus",
    "change": "sc_change_requested",
    "resources": "sc_resources_requested",
    "concern": "sc_concern",
    "met": "sc_outcome_met",
    "exit": "family_wants_exit",
    "share": "share_copy_with",
    "by": "provider_name",
    "next": "next",
}
STRATEGY_KEYS = {"who": "who", "when": "when", "why": "why", "b": "plan_b"}
FOLLOWUP = ("followup_used", "followup_worked", "followup_hard", "followup_still_priority")
HEADER = re.compile(r"^@ (\d{4}-\d\d-\d\d) (\d\d:\d\d) (.+)$")
KEYED = re.compile(r"^([a-z0-9]+): ?(.*)$")


def parse_card(child_id: str, card: str) -> list[dict[str, Any]]:
    """One child's card → visit records (strategies still nested, next visit not yet set)."""
    visits: list[dict[str, Any]] = []
    # Where a continuation line goes: (dict or list, key or index) of the text it extends.
    target: tuple[Any, Any] | None = None
    strategy: dict[str, Any] | None = None
    for number, raw in enumerate(card.splitlines(), start=1):
        line = raw.strip()
        where = f"{child_id} card line {number}"
        if not line:
            target = None
            continue
        header = HEADER.match(line)
        keyed = KEYED.match(line)
        if header:
            visits.append({
                "child_id": child_id,
                "visit_date": d(header[1]),
                "visit_time": dt.time.fromisoformat(header[2]),
                "visit_status": header[3],
                "strategies": [],
            })
            target, strategy = None, None
        elif not visits:
            raise ValueError(f"{where}: text before the first '@' line")
        elif line.startswith("- "):
            if strategy is None:
                raise ValueError(f"{where}: a step outside a strategy")
            strategy["steps"].append(line[2:])
            target = (strategy["steps"], -1)
        elif keyed and keyed[1] in {"s1", "s2", "s3"}:
            strategy = {"title": keyed[2], "steps": []}
            visits[-1]["strategies"].append(strategy)
            target = None
        elif keyed and keyed[1] in STRATEGY_KEYS:
            if strategy is None:
                raise ValueError(f"{where}: '{keyed[1]}:' outside a strategy")
            strategy[STRATEGY_KEYS[keyed[1]]] = keyed[2]
            target = (strategy, STRATEGY_KEYS[keyed[1]])
        elif keyed and keyed[1] in VISIT_KEYS:
            strategy = None
            visits[-1][VISIT_KEYS[keyed[1]]] = keyed[2]
            target = (visits[-1], VISIT_KEYS[keyed[1]])
        elif target is not None:
            container, key = target
            container[key] = f"{container[key]} {line}"
        else:
            raise ValueError(f"{where}: cannot tell what this line belongs to: {line!r}")
    return visits


def visit_rows(kid: Kid) -> list[dict[str, Any]]:
    visits = parse_card(kid.child_id, VISITS[kid.child_id])
    outcome_numbers = {o[0] for o in OUTCOMES[kid.child_id]}
    rows: list[dict[str, Any]] = []
    seen_done = False
    for i, visit in enumerate(visits):
        where = f"{kid.child_id} {visit['visit_date']}"
        provider = visit.pop("provider_name", kid.provider)
        strategies = visit.pop("strategies")
        explicit_next = visit.pop("next", "")
        row = {**visit, "provider_name": provider, "provider_discipline": PROVIDERS[provider]}
        if visit["visit_status"] != "done":
            extra = set(visit) - {"child_id", "visit_date", "visit_time", "visit_status"}
            if extra or strategies or explicit_next:
                raise ValueError(f"{where}: a visit that did not happen has no plan ({extra})")
            rows.append(row)
            continue
        for key in ("routine", "outcomes_addressed", "practiced", "next_visit_focus"):
            if not visit.get(key):
                raise ValueError(f"{where}: a done visit needs '{key}'")
        addressed = {n.strip() for n in visit["outcomes_addressed"].split(";")}
        met = {n.strip() for n in visit.get("sc_outcome_met", "").split(";") if n.strip()}
        if not (addressed | met) <= outcome_numbers:
            raise ValueError(f"{where}: outcome numbers not on the IFSP: {addressed | met}")
        has_followup = [bool(visit.get(key)) for key in FOLLOWUP]
        if any(has_followup) != all(has_followup) or all(has_followup) != seen_done:
            raise ValueError(f"{where}: follow-up goes on every visit after the first, complete")
        seen_done = True
        if not 1 <= len(strategies) <= 3:
            raise ValueError(f"{where}: 1 to 3 strategies")
        for n, strategy in enumerate(strategies, start=1):
            missing = {"title", "who", "when", "why", "plan_b"} - set(strategy)
            if missing or not 2 <= len(strategy["steps"]) <= 4:
                raise ValueError(f"{where}: strategy {n} needs 2–4 steps, who, when, why, Plan B")
            row[f"strategy_{n}"] = strategy["title"]
            row[f"strategy_{n}_steps"] = "\n".join(strategy["steps"])
            for part in ("who", "when", "why", "plan_b"):
                row[f"strategy_{n}_{part}"] = strategy[part]
        if i + 1 < len(visits):
            if explicit_next:
                raise ValueError(f"{where}: 'next:' only on a child's last visit")
            following = visits[i + 1]
            row["next_visit_date"] = following["visit_date"]
            row["next_visit_time"] = following["visit_time"]
        elif explicit_next:
            date, time = explicit_next.split()
            row["next_visit_date"], row["next_visit_time"] = d(date), dt.time.fromisoformat(time)
        else:
            row["next_visit_date"] = visit["visit_date"] + dt.timedelta(days=7)
            row["next_visit_time"] = visit["visit_time"]
        rows.append(row)
    return rows


def outcome_rows(kid: Kid) -> list[dict[str, Any]]:
    rows = []
    for number, kind, status, target, statement, criteria, notes, *status_date in OUTCOMES[
        kid.child_id
    ]:
        rows.append({
            "child_id": kid.child_id,
            "outcome_number": int(number),
            "outcome_kind": kind,
            "outcome_statement": statement,
            "outcome_criteria": criteria,
            "target_date": d(target),
            "outcome_status": status,
            "status_date": d(status_date[0] if status_date else kid.review or kid.ifsp),
            "progress_notes": notes,
        })
    return rows


def build_rows() -> dict[Sheet, list[dict[str, Any]]]:
    visits = [row for kid in KIDS for row in visit_rows(kid)]
    visits.sort(key=lambda r: (r["visit_date"], r["visit_time"], r["child_id"]))
    return {
        Sheet.CHILDREN: [kid.row() for kid in KIDS],
        Sheet.OUTCOMES: [row for kid in KIDS for row in outcome_rows(kid)],
        Sheet.VISITS: visits,
    }


# --- Checks against the catalog and the sample's own promises ---------------------------------

KIND_TYPES = {
    Kind.DATE: dt.date,
    Kind.TIME: dt.time,
    Kind.INTEGER: int,
}


def check_rows(rows: dict[Sheet, list[dict[str, Any]]]) -> None:
    for sheet, records in rows.items():
        fields = {f.name: f for f in CATALOG[sheet]}
        for index, record in enumerate(records, start=2):
            where = f"{sheet.value} row {index}"
            unknown = set(record) - set(fields)
            if unknown:
                raise ValueError(f"{where}: not catalog fields: {sorted(unknown)}")
            for name, f in fields.items():
                value = record.get(name)
                if value is None or value == "":
                    if f.required:
                        raise ValueError(f"{where}: required {name} is empty")
                    continue
                expected = KIND_TYPES.get(f.kind, str)
                if not isinstance(value, expected):
                    raise ValueError(f"{where}: {name} should be {expected.__name__}")
                if f.kind is Kind.CHOICE and value not in f.choices:
                    raise ValueError(f"{where}: {name} {value!r} is not one of {f.choices}")
                if f.kind is Kind.YESNO and value not in ("yes", "no"):
                    raise ValueError(f"{where}: {name} must be yes or no")
    for kid in KIDS:
        born = d(kid.dob)
        months = (AS_OF.year - born.year) * 12 + AS_OF.month - born.month
        if not 4 <= months <= 34:
            raise ValueError(f"{kid.child_id}: {months} months old as of {AS_OF}")
    for visit in rows[Sheet.VISITS]:
        if visit["visit_date"] > AS_OF:
            raise ValueError(f"{visit['child_id']}: visit after {AS_OF}")
        if visit.get("next_visit_date") and visit["next_visit_date"] <= visit["visit_date"]:
            raise ValueError(f"{visit['child_id']}: next visit must come after the visit")


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else OUT
    rows = build_rows()
    check_rows(rows)
    write_workbook(out, rows)
    counts = ", ".join(f"{len(records)} {sheet.value.lower()}" for sheet, records in rows.items())
    print(f"wrote {out} ({counts})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
