"""The hand-written DuckDB floor for ``patentq landscape apply genai``.

One query, written by hand from ``bench/genai_floor.yaml`` (the genai definition pinned as it was; not by
patentq's compiler), doing the same core work as the stage: member families *and* their
categories (model, mode, application). It returns one row: ``families`` (members),
``publications`` (matched publications) and ``category_rows`` (family × dimension × category
rows, ``other`` included), which ``bench/scale.py`` checks against the stage's tables.

How an expert writes it: classification flags in one pass over ``classifications`` (only rows
with a code some clause names), text lower-cased once and tested with one RE2 alternation per
concept (``\\b`` and ``\\w`` are ASCII in RE2, the same as the compiler's ``(?i)``), membership
per publication, categories over every publication of a member family (the definition's
family rule), then one union of the category flags. The regexes follow the compiler's rules
(docs/landscapes.md): a truncated word ``w*`` is ``w\\w*``, a whole word ends in ``\\b``, a phrase
joins words with ``\\W+``, ``/nw`` allows up to n words between two operands in either order,
``+nw`` in the written order. A text clause holds when it matches the title or the abstract.
"""

from __future__ import annotations

GAP1, GAP2, GAP3 = (r"\W+(?:\w+\W+){0,%d}" % n for n in (1, 2, 3))


def either(rx: str) -> str:
    """A text clause: the regex in the lower-cased title or abstract."""
    return f"(regexp_matches(t, '{rx}') OR regexp_matches(a, '{rx}'))"


def generation_rx() -> str:
    """``generat* /3w X`` (X = image*, ..., code) and ``synthes* /3w X``, both orders, or ``generative``."""
    gen_objs = r"image\w*|picture\w*|video\w*|text\w*|sentence\w*|speech\b|voice\w*|audio\b|music\b|molecul\w*|" \
               r"content\w*|sample\w*|code\b"
    syn_objs = r"image\w*|speech\b|data\b"
    return (rf"\b(?:generat\w*{GAP3}(?:{gen_objs})|(?:{gen_objs}){GAP3}generat|"
            rf"synthes\w*{GAP3}(?:{syn_objs})|(?:{syn_objs}){GAP3}synthes|generative\b)")


AI_CONTEXT = ("(g06n3 OR g06n20 OR " + either(
    r"\b(?:neural\W+net|deep\W+learn|machine\W+learn|artificial\W+intelligence\b|deep\W+neural\b|"
    r"transformer\W+model|transformer\W+network|attention\W+mechanism)") + ")")

CONCEPTS = {
    "gan": either(rf"\b(?:generative\W+adversarial{GAP1}net|adversarial\W+generative{GAP1}net|"
                  r"generative\W+adversarial\W+model|cyclegan|stylegan|dcgan|wgan|biggan|pix2pix)")
    + " OR (" + either(r"\bgans?\b") + " AND "
    + either(r"\b(?:discriminat|adversarial|neural\W+net|deep\W+learn|generator)")
    + " AND NOT " + either(r"\bgallium\b") + ")",
    "vae": either(rf"\bvariational(?:{GAP1}autoencod|\W+auto\W+encod|\W+encoder)")
    + " OR (" + either(r"\bvaes?\b") + " AND " + either(r"\b(?:latent\b|encoder|decoder|autoencod|neural\b)") + ")",
    "diffusion": either(r"\b(?:denoising\W+diffusion\b|latent\W+diffusion\b|stable\W+diffusion\b|ddpm|ddim\b|"
                        r"diffusion\W+probabilistic\b|score\W+based\W+generative\b|score\W+based\W+diffusion\b)")
    + " OR (" + either(rf"\b(?:diffusion{GAP1}model|model\w*{GAP1}diffusion\b)") + " AND "
    + either(r"\b(?:denois|generat|neural\W+net|deep\W+learn|text\W+to\W+image\b)") + ")",
    "llm": either(r"\b(?:large\W+language\W+model|llms?\b|chatgpt\b|generative\W+pre\W+trained\b|"
                  r"generative\W+pretrained\b)")
    + " OR (" + either(r"\b(?:gpt|language\W+model|large\W+model)") + " AND "
    + either(r"\b(?:generat|prompt|chat|dialog)") + " AND " + either(r"\b(?:language\b|text|token|neural\b|model)") + ")",
    "autoregressive": "(" + either(r"\b(?:autoregress|auto\W+regressive\b)") + " AND " + either(r"\bgenerat")
    + " AND " + either(r"\b(?:neural\W+net|transformer|token|deep\W+learn|decoder|pixelcnn\b|wavenet\b)") + ")"
    + " OR " + either(r"\b(?:pixelcnn|wavenet)"),
    "generic": either(r"\b(?:generative\W+ai\b|generative\W+artificial\W+intelligence\b|aigc\b|"
                      r"ai\W+generated\W+content\b|generative\W+network|generative\W+neural\b|generative\W+deep\b|"
                      r"deepfake|deep\W+fake|text\W+to\W+image\b|text\W+to\W+video\b|text\W+to\W+3d\b)")
    + " OR (" + either(r"\bgenerative\W+model") + f" AND {AI_CONTEXT})"
    + " OR (" + either(rf"\b(?:text\W+to\W+speech\b|speech\W+synthes|voice\W+conver|voice\W+clon|"
                       rf"singing\W+voice\W+synthes|image\W+synthes|video\W+synthes|style\W+transfer\b|inpaint|"
                       rf"music\W+generat|generat\w*\W+music\b|generat\w*{GAP2}molecul|molecul\w*{GAP2}generat|"
                       rf"de\W+novo{GAP2}design|code\W+generat|image\W+generat|generat\w*\W+image|text\W+generat|"
                       rf"natural\W+language\W+generat)") + f" AND {AI_CONTEXT})",
}

MEMBER = ("(" + " OR ".join(f"({c})" for c in CONCEPTS.values()) + " OR g06n3_0475"
          f" OR ((g06n3_045 OR g06n3_094) AND {either(generation_rx())})"
          f" OR ((g10l13 OR g06t11 OR g06f40_56 OR g10h2250_311) AND g06n3 AND {either(generation_rx())}))")

# classification flags: column → condition on one classifications row (cpc: scheme cpc only)
CPC = {
    "g06n3": "(code = 'G06N3' OR code LIKE 'G06N3/%')", "g06n20": "(code = 'G06N20' OR code LIKE 'G06N20/%')",
    "g06n3_0475": "code LIKE 'G06N3/0475%'", "g06n3_045": "code LIKE 'G06N3/045%'", "g06n3_094": "code LIKE 'G06N3/094%'",
    "g10l13": "(code = 'G10L13' OR code LIKE 'G10L13/%')", "g06t11": "(code = 'G06T11' OR code LIKE 'G06T11/%')",
    "g06f40_56": "code LIKE 'G06F40/56%'", "g10h2250_311": "code LIKE 'G10H2250/311%'",
    "m_image": "(code LIKE 'G06T%' OR code LIKE 'H04N%' OR code LIKE 'G06V%')",
    "m_text": "(code = 'G06F40' OR code LIKE 'G06F40/%' OR code LIKE 'G06F16/33%')",
    "m_sound": "(code LIKE 'G10L%' OR code LIKE 'G10H%')",
    "m_3d": "regexp_matches(code, '^G06T1[579](/|$)')", "m_mol": "(code LIKE 'G16B%' OR code LIKE 'G16C%')",
    "m_code": "(code = 'G06F8' OR code LIKE 'G06F8/%')",
}
IPC_TOO = {"g06n3", "g06n20"}  # ai_context names ipc:G06N3 and ipc:G06N20 as well


def group(code: str) -> str:
    return f"code = '{code}' OR code LIKE '{code}/%'"


# application areas (cls: = cpc or ipc), as in the definition's 21 lines
APPLICATION = {
    "Agriculture": "code LIKE 'A01%' OR code LIKE 'G06Q50/02%'",
    "Arts_and_humanities": "code LIKE 'G10H%' OR code LIKE 'B44%' OR code LIKE 'G10G%' OR (code >= 'G10B' AND "
                           "(code <= 'G10D' OR code LIKE 'G10D%'))",
    "Banking_and_finance": f"{group('G06Q20')} OR {group('G06Q40')} OR code LIKE 'G07F%' OR code LIKE 'G07D%'",
    "Business_solutions": f"{group('G06Q10')} OR {group('G06Q30')} OR code LIKE 'G06Q50/1%'",
    "Cartography": f"{group('G01C21')} OR {group('G01C11')} OR {group('G09B29')}",
    "Computing_in_government": "code LIKE 'G06Q50/26%'",
    "Document_management_and_publishing": f"{group('G06F40')} OR code LIKE 'G06F16/93%' OR code LIKE 'B41%' "
                                          "OR code LIKE 'G06F17/2%'",
    "Education": "code LIKE 'G09B%' OR code LIKE 'G06Q50/20%'",
    "Energy_management": "code LIKE 'H02J%' OR (scheme = 'cpc' AND (code LIKE 'Y02E%' OR code LIKE 'Y04S%')) "
                         "OR code LIKE 'G06Q50/06%'",
    "Entertainment": f"code LIKE 'A63%' OR {group('H04N21')}",
    "Industry_and_manufacturing": "code LIKE 'G05B%' OR code LIKE 'B33Y%' OR code LIKE 'B25J%' OR "
                                  "code LIKE 'G06Q50/04%' OR (scheme = 'cpc' AND code LIKE 'Y02P%')",
    "Law_social_and_behavioral_sciences": "code LIKE 'G06Q50/18%'",
    "Life_sciences_and_medicine": "code LIKE 'A61%' OR code LIKE 'G16H%' OR code LIKE 'G16B%' OR code LIKE 'G16C%' "
                                  "OR code LIKE 'C12%' OR code LIKE 'C07K%'",
    "Military": f"code LIKE 'F41%' OR code LIKE 'F42%' OR (scheme = 'cpc' AND ({group('Y10S102')}))",
    "Networks_smart_cities": f"code LIKE 'G16Y%' OR code LIKE 'G06Q50/01%' OR {group('H04W4')}",
    "Personal_devices_computing_and_HCI": f"{group('G06F3')} OR code LIKE 'G09G%' OR {group('H04M1')} OR {group('G06F1')}",
    "Physical_sciences_and_engineering": f"code LIKE 'G01%' OR {group('G06F30')} OR code LIKE 'G01V%'",
    "Security": f"{group('G06F21')} OR {group('H04L9')} OR {group('H04L63')} OR code LIKE 'G08B%' OR {group('G06V40')}",
    "Software": f"{group('G06F8')} OR {group('G06F9')} OR {group('G06F11')}",
    "Telecommunications": f"code LIKE 'H04B%' OR code LIKE 'H04J%' OR {group('H04L5')} OR {group('H04L25')} OR "
                          f"{group('H04L27')} OR code LIKE 'H04W%'",
    "Transportation": f"(code >= 'B60' AND (code <= 'B64' OR code LIKE 'B64%')) OR code LIKE 'G08G%' OR {group('G05D1')}",
}

MODEL = {
    "GAN": f"({CONCEPTS['gan']}) OR g06n3_094 OR (" + either(r"\badversarial") + " AND "
           + either(r"\b(?:generator|discriminat)") + ")",
    "VAE": f"({CONCEPTS['vae']}) OR (" + either(r"\bvariational\b") + " AND " + either(r"\bautoencod") + ")",
    "autoregressive": CONCEPTS["autoregressive"], "diffusion": CONCEPTS["diffusion"], "LLM": CONCEPTS["llm"],
}
MODE = {
    "image_video": either(r"\b(?:image|video|picture|photo|visual|face|painting|drawing)") + " OR m_image",
    "text": either(r"\b(?:text|sentence|natural\W+language\b|language\W+model|chat|dialog|translat|summar|question)")
    + " OR m_text",
    "speech_sound_music": either(r"\b(?:speech\b|voice|audio\b|sound|music|singing\b|acoustic)") + " OR m_sound",
    "3d": either(r"\b(?:3d\b|three\W+dimensional\b|point\W+cloud|mesh|voxel)") + " OR m_3d",
    "molecules_genes_proteins": either(r"\b(?:molecul|protein|genes?\b|genom|drug|peptide|antibod|dna\b|rna\b|chemical)")
    + " OR m_mol",
    "code": either(r"\b(?:source\W+code\b|program\W+code\b|code\W+generat|computer\W+program|programming\b|"
                   r"software\W+code\b)") + " OR m_code",
}


MEMBER_FLAGS = ["g06n3", "g06n20", "g06n3_0475", "g06n3_045", "g06n3_094", "g10l13", "g06t11", "g06f40_56",
                "g10h2250_311"]
MEMBER_CODES = ("code LIKE 'G06N%' OR code LIKE 'G10L13%' OR code LIKE 'G06T11%' OR code LIKE 'G06F40/56%' "
                "OR code LIKE 'G10H2250/311%'")
# A cheap necessary condition (every path into the landscape needs one of these words or a
# G06N3/G06N20 code), tested first so the concept regexes run only on the rows it lets through.
GATE = ("(g06n3 OR g06n20 OR " + either(
    r"\b(?:generative|adversarial|cyclegan|stylegan|dcgan|wgan|biggan|pix2pix|gans?\b|variational|vaes?\b|"
    r"diffusion\b|ddpm|ddim\b|language\b|llms?\b|chatgpt\b|gpt|large\W+model|autoregress|regressive\b|pixelcnn|"
    r"wavenet|aigc\b|ai\W+generated|deepfake|deep\W+fake|text\W+to\W+(?:image|video|3d)\b|neural|deep\W+learn|"
    r"machine\W+learn|artificial\W+intelligence|transformer\W+(?:model|network)|attention\W+mechanism)") + ")")


def _flag_cols(names: list[str]) -> str:
    cols = []
    for n in names:
        scheme = "scheme IN ('cpc', 'ipc')" if n in IPC_TOO or n.startswith("app_") else "scheme = 'cpc'"
        cond = APPLICATION[list(APPLICATION)[int(n[4:])]] if n.startswith("app_") else CPC[n]
        cols.append(f"bool_or({scheme} AND ({cond})) AS {n}")
    return ",\n      ".join(cols)


def _category_union() -> str:
    parts = []
    for dim, cats in (("model", MODEL), ("mode", MODE)):
        names = list(cats)
        for i, cat in enumerate(names):
            parts.append(f"SELECT family_id, '{dim}', '{cat}' FROM fam WHERE {dim}_{i}")
        parts.append(f"SELECT family_id, '{dim}', 'other' FROM fam WHERE NOT ("
                     + " OR ".join(f"{dim}_{i}" for i in range(len(names))) + ")")
    parts += [f"SELECT family_id, 'application', '{cat}' FROM fam WHERE app_{i}" for i, cat in enumerate(APPLICATION)]
    return "\n      UNION ALL ".join(parts)


def floor_sql() -> str:
    cat_flags = [n for n in CPC if n not in MEMBER_FLAGS] + ["g06n3_094"] + [f"app_{i}" for i in range(len(APPLICATION))]
    per_pub = [f"bool_or({c}) AS model_{i}" for i, c in enumerate(MODEL.values())]
    per_pub += [f"bool_or({c}) AS mode_{i}" for i, c in enumerate(MODE.values())]
    per_pub += [f"bool_or(app_{i}) AS app_{i}" for i in range(len(APPLICATION))]
    nl = ",\n      "
    return f"""
WITH mflags AS (
  SELECT publication_number,
      {_flag_cols(MEMBER_FLAGS)}
  FROM classifications WHERE {MEMBER_CODES} GROUP BY publication_number),
hit AS (
  SELECT family_id, count(DISTINCT publication_number) AS matched
  FROM (SELECT p.publication_number, p.family_id, lower(coalesce(p.title, '')) AS t,
               lower(coalesce(p.abstract, '')) AS a, {', '.join(f'coalesce(f.{n}, false) AS {n}' for n in MEMBER_FLAGS)}
        FROM publications p LEFT JOIN mflags f ON f.publication_number = p.publication_number
        WHERE p.family_id IS NOT NULL) d
  WHERE {GATE} AND {MEMBER}
  GROUP BY family_id),
mpub AS (
  SELECT p.publication_number, p.family_id, lower(coalesce(p.title, '')) AS t, lower(coalesce(p.abstract, '')) AS a
  FROM publications p SEMI JOIN hit h ON h.family_id = p.family_id),
cflags AS (
  SELECT c.publication_number,
      {_flag_cols(cat_flags)}
  FROM classifications c SEMI JOIN mpub m ON m.publication_number = c.publication_number
  GROUP BY c.publication_number),
fam AS (
  SELECT family_id,
      {nl.join(per_pub)}
  FROM (SELECT m.*, {', '.join(f'coalesce(f.{n}, false) AS {n}' for n in cat_flags)}
        FROM mpub m LEFT JOIN cflags f ON f.publication_number = m.publication_number) d
  GROUP BY family_id),
cats AS ({_category_union()})
SELECT (SELECT count(*) FROM hit) AS families, (SELECT sum(matched) FROM hit) AS publications,
       (SELECT count(*) FROM cats) AS category_rows"""


if __name__ == "__main__":
    print(floor_sql())
