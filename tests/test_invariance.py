"""Names, contact details, schools, addresses and pronouns never move the score."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from classifier.model.scoring import ScoringModel
from classifier.model.store import load_model
from classifier.text.analyzer import Analyzer
from classifier.text.vocabulary import load_vocabulary

DATA = Path(__file__).resolve().parent / "data"
RESUMES = [
    json.loads(line)["text"]
    for line in (DATA / "heldout_ml.jsonl").read_text().splitlines()
    if line.strip()
]

FIRST = [
    "Amara",
    "Liam",
    "Wei",
    "Sofia",
    "Kwame",
    "Priya",
    "Mateo",
    "Yuki",
    "Olga",
    "Tariq",
    "Hannah",
    "Diego",
    "Ines",
    "Jonas",
    "Fatima",
    "Noah",
    "Aiko",
    "Ravi",
    "Elif",
    "Marek",
]
LAST = [
    "Okafor",
    "Nguyen",
    "Schmidt",
    "Garcia",
    "Kowalski",
    "Haddad",
    "Tanaka",
    "Silva",
    "Ivanova",
    "Brennan",
    "Mensah",
    "Lindqvist",
    "Dubois",
    "Rossi",
    "Chen",
    "Patel",
]
SCHOOLS = [
    "Northgate University",
    "University of Eastbridge",
    "Lakeside College",
    "Riverside State University",
    "Coastal Polytechnic",
    "Hillcrest University",
]
STREETS = ["Main Street", "Elm Avenue", "Harbor Road", "Maple Lane", "Station Square"]
TOWNS = ["Springfield", "Riverton", "Lakeview", "Fairmont", "Brookside", "Ashford"]
PRONOUNS = ["she/her", "he/him", "they/them"]

identity = st.fixed_dictionaries(
    {
        "first": st.sampled_from(FIRST),
        "last": st.sampled_from(LAST),
        "school": st.sampled_from(SCHOOLS),
        "number": st.integers(1, 9999),
        "street": st.sampled_from(STREETS),
        "town": st.sampled_from(TOWNS),
        "phone": st.from_regex(r"\+1 \(\d{3}\) \d{3}-\d{4}", fullmatch=True),
        "pronouns": st.sampled_from(PRONOUNS),
    }
)


def _with_identity(text: str, who: dict[str, object]) -> str:
    lines = text.split("\n")
    header = (
        f"{who['first']} {who['last']} ({who['pronouns']})\n"
        f"{who['number']} {who['street']}, {who['town']} | "
        f"{str(who['first']).lower()}.{str(who['last']).lower()}@example.com | {who['phone']}"
    )
    education = f"B.A., {who['school']}, {who['town']}"
    # Replace the name and contact lines, and add a school line at the end.
    return "\n".join([header, *lines[2:], education])


MODEL: ScoringModel = load_model()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(RESUMES), identity, identity)
def test_identity_never_moves_the_logit(
    text: str, a: dict[str, object], b: dict[str, object]
) -> None:
    first = MODEL.decision_text(_with_identity(text, a))
    second = MODEL.decision_text(_with_identity(text, b))
    assert first == second


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(RESUMES),
    st.sampled_from(["she", "he", "they"]),
    st.sampled_from(["her", "his", "their"]),
)
def test_pronouns_in_sentences_never_move_the_logit(
    text: str, subject: str, possessive: str
) -> None:
    sentence = f"\n{subject.capitalize()} led {possessive} team of five.\n"
    base = MODEL.decision_text(
        text + sentence.replace(subject.capitalize(), "She").replace(possessive, "her")
    )
    assert MODEL.decision_text(text + sentence) == base


def test_analyzer_matches_no_generated_identity_word() -> None:
    """Generated words are no vocabulary terms (no Julia, Ray or Spark as names)."""
    analyzer = Analyzer(load_vocabulary())
    for word in FIRST + LAST + SCHOOLS + STREETS + TOWNS + PRONOUNS:
        assert analyzer.find(word) == [], word
