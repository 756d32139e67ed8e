"""Small files the tests read (a PNG, a vendored doc page)."""

from pathlib import Path

DATA = Path(__file__).resolve().parent
PNG_PATH = DATA / "gradient_16x16.png"
