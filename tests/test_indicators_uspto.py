"""Backward citations, claims and forward citations on the USPTO weekly slices, against the XML.

The expected figures are read from the XML files here with lxml, independently of the
``uspto-xml`` adapter: every ``patcit`` and ``claim`` element per grant document.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

import pytest
from conftest import shared_file
from lxml import etree

from patentq import open_lake

SLICES = [f"uspto-xml/weekly-slices/ipg{d}.small.xml" for d in
          ("050104", "060103", "070102", "080101", "090106", "100105", "110104", "120103", "130416")]


def _number(country: str, doc_number: str) -> str:
    """``US`` + ``06836899`` → ``US-6836899``: office and number without kind or leading zeros.

    US pre-grant publications take the DOCDB form (``20010041357`` → ``2001041357``), and a
    number repeating its office (``WO8909565`` under WO) loses the prefix, as in DOCDB.
    """
    country = country.upper()
    compact = re.sub(r"[\s/,.\-]", "", doc_number.upper())
    if compact.startswith(country) and re.match(r"^[A-Z]{0,2}\d", compact[len(country):]):
        compact = compact[len(country):]
    m = re.match(r"^([A-Z]*)0*(\d+)$", compact)
    if not m:
        return f"{country}-{compact}"
    prefix, digits = m.groups()
    if country == "US" and not prefix and len(digits) == 11 and digits[:2] in ("19", "20") and digits[4] == "0":
        digits = digits[:4] + digits[5:]
    return f"{country}-{prefix}{digits}"


def _documents(path):
    """Each XML document of a weekly file (they are glued together after the declaration)."""
    text = path.read_bytes()
    for chunk in re.split(rb"(?=<\?xml )", text):
        if chunk.strip():
            yield etree.fromstring(chunk, parser=etree.XMLParser(recover=True, resolve_entities=False))


def parse_slices():
    docs = {}
    for rel in SLICES:
        for root in _documents(shared_file(rel)):
            if root.tag != "us-patent-grant":  # sequence listings travel in the same files
                continue
            ref = root.find(".//publication-reference/document-id")
            number = _number(ref.findtext("country"), ref.findtext("doc-number"))
            date = dt.datetime.strptime(ref.findtext("date"), "%Y%m%d").date()
            cited = []
            for patcit in root.iter("patcit"):
                did = patcit.find("document-id")
                cited.append(_number(did.findtext("country") or "", did.findtext("doc-number") or ""))
            claims = len(root.findall(".//claims/claim"))
            docs[number] = {"date": date, "cited": cited, "claims": claims}
    return docs


@pytest.fixture(scope="module")
def slices(tmp_path_factory):
    from patentq.ingest import ingest

    paths = [shared_file(rel) for rel in SLICES]
    lake_path = tmp_path_factory.mktemp("uspto") / "lake"
    ingest("uspto-xml", paths, lake_path)
    session = open_lake(lake_path)
    session.require("family_indicators")
    con = session.connect()
    rows = con.execute("SELECT m.base_number, i.* FROM family_indicators i "
                       "JOIN family_members m ON m.family_id = i.family_id").df()
    return parse_slices(), {r["base_number"]: r for r in rows.to_dict("records")}


def test_the_slices_hold_the_published_totals(slices):
    xml, _ = slices
    assert len(xml) == 225
    assert sum(len(d["cited"]) for d in xml.values()) == 5_122
    assert sum(d["claims"] for d in xml.values()) == 3_150


def test_claims_match_the_xml(slices):
    xml, ours = slices
    assert {n: d["claims"] for n, d in xml.items()} == {n: int(ours[n]["claims"]) for n in xml}


def test_backward_citations_match_the_xml(slices):
    xml, ours = slices
    # family level: distinct cited documents (number without kind), a document citing its own family excluded
    expected = {n: len({c for c in d["cited"] if c != n}) for n, d in xml.items()}
    assert expected == {n: int(ours[n]["bwd_cits"]) for n in xml}


def test_forward_citations_among_the_slices(slices):
    xml, ours = slices
    citing = defaultdict(set)
    citing_5 = defaultdict(set)
    for number, doc in xml.items():
        for cited in set(doc["cited"]):
            if cited in xml and cited != number:
                citing[cited].add(number)
                if doc["date"] <= _plus_years(xml[cited]["date"], 5):
                    citing_5[cited].add(number)
    # The nine slices (2005-2013, a few dozen grants each) happen not to cite one another, so every
    # figure is 0; the comparison still catches spurious matches (kind-less numbers, self-family).
    assert {n: len(citing[n]) for n in xml} == {n: int(ours[n]["fwd_cits_total"]) for n in xml}
    assert {n: len(citing_5[n]) for n in xml} == {n: int(ours[n]["fwd_cits_5"]) for n in xml}


def _plus_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
