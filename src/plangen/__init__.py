"""plangen: early-intervention joint plans, IFSP reviews and coordinator packets from a workbook."""

__version__ = "0.1.0"
