"""What the synthetic GenAI world is calibrated to, and the effects planted in it.

Counts are WIPO, *Patent Landscape Report: Generative Artificial Intelligence* (2024),
2014–2023 by first publication year (https://www.wipo.int/web-publications/patent-landscape-report-generative-artificial-intelligence-genai):
families by inventor location (whole counting), the top-10 applicants, the growth from 733
families in 2014 to over 14,000 in 2023, and the shares by model and by mode. The report gives
country counts whose sum (54,822 for the seven named countries alone) exceeds the ~54,000
families: co-invented families count once per country. The world reproduces that by giving some
families inventors in two countries. Rest-of-world, unknown-country and the year split between
the published end points are our own round figures, chosen to be consistent with the totals.

The *planted* effects (foreign filing, citation attractiveness, claims) are not WIPO figures:
they are the synthetic world's ground truth, chosen to echo the commentary the project starts
from (few Chinese GenAI families filed abroad; US/GB work cited more), so tests can check that
the pipeline recovers them.
"""

from __future__ import annotations

#: Families 2014–2023 at full size.
TOTAL_FAMILIES = 54_000

#: Families by inventor location, whole counting (WIPO 2024).
INVENTOR_COUNTRY = {"CN": 38_210, "US": 6_276, "KR": 4_155, "JP": 3_409, "IN": 1_350, "GB": 714, "DE": 708}
#: Our round figures for the rest of the world (whole counting) and families without inventor country.
REST_OF_WORLD = {"FR": 330, "CA": 320, "TW": 260, "IL": 200, "AU": 140, "SG": 130, "NL": 90, "CH": 80, "SE": 50}
UNKNOWN_COUNTRY = 400
#: Who the co-inventor is when a family has inventors in two countries (share of secondary slots).
CO_INVENTOR_WEIGHTS = {"US": 0.30, "CN": 0.22, "GB": 0.10, "DE": 0.08, "IN": 0.08, "JP": 0.05, "KR": 0.04,
                       "CA": 0.05, "FR": 0.04, "SG": 0.02, "CH": 0.02}

#: First-publication year → families (733 in 2014 and >14,000 in 2023 per WIPO; years between are ours).
YEARS = {2014: 733, 2015: 880, 2016: 1_160, 2017: 1_680, 2018: 2_650, 2019: 4_900, 2020: 7_200,
         2021: 9_000, 2022: 11_600, 2023: 14_197}

#: Top-10 applicants (WIPO 2024): group → (families, home country, {inventor country: share},
#: [(name variant, applicant country, share of the group's families)]).
APPLICANTS = {
    "Tencent": (2_074, "CN", {"CN": 0.95, "US": 0.05}, [
        ("Tencent Technology (Shenzhen) Co., Ltd.", "CN", 0.80), ("Tencent America LLC", "US", 0.05),
        ("Tencent Cloud Computing (Beijing) Co., Ltd.", "CN", 0.15)]),
    "Ping An": (1_564, "CN", {"CN": 1.0}, [
        ("Ping An Technology (Shenzhen) Co., Ltd.", "CN", 0.85),
        ("Ping An International Smart City Technology Co., Ltd.", "CN", 0.15)]),
    "Baidu": (1_234, "CN", {"CN": 0.95, "US": 0.05}, [
        ("Beijing Baidu Netcom Science and Technology Co., Ltd.", "CN", 0.80), ("Baidu USA LLC", "US", 0.05),
        ("Baidu Online Network Technology (Beijing) Co., Ltd.", "CN", 0.15)]),
    "Chinese Academy of Sciences": (607, "CN", {"CN": 1.0}, [
        ("Institute of Automation, Chinese Academy of Sciences", "CN", 0.5),
        ("Institute of Computing Technology, Chinese Academy of Sciences", "CN", 0.3),
        ("Shenzhen Institutes of Advanced Technology, Chinese Academy of Sciences", "CN", 0.2)]),
    "IBM": (601, "US", {"US": 0.78, "IN": 0.10, "CN": 0.04, "GB": 0.04, "DE": 0.04}, [
        ("International Business Machines Corporation", "US", 1.0)]),
    "Alibaba": (571, "CN", {"CN": 0.95, "US": 0.05}, [
        ("Alibaba Group Holding Limited", "CN", 0.6), ("Alibaba (China) Co., Ltd.", "CN", 0.4)]),
    "Samsung": (468, "KR", {"KR": 0.92, "US": 0.04, "IN": 0.04}, [
        ("Samsung Electronics Co., Ltd.", "KR", 0.85), ("Samsung SDS Co., Ltd.", "KR", 0.15)]),
    "Alphabet": (443, "US", {"US": 0.82, "GB": 0.15, "CH": 0.03}, [
        ("Google LLC", "US", 0.80), ("DeepMind Technologies Limited", "GB", 0.15), ("Google Inc.", "US", 0.05)]),
    "ByteDance": (418, "CN", {"CN": 0.92, "US": 0.08}, [
        ("Beijing ByteDance Network Technology Co., Ltd.", "CN", 0.6), ("Douyin Vision Co., Ltd.", "CN", 0.3),
        ("Lemon Inc.", "SG", 0.1)]),
    "Microsoft": (377, "US", {"US": 0.82, "CN": 0.10, "IN": 0.04, "GB": 0.04}, [
        ("Microsoft Technology Licensing, LLC", "US", 0.9), ("Microsoft Corporation", "US", 0.1)]),
}

#: GenAI model shares of all families (WIPO 2024 ~: GANs 9,700; VAEs 1,800; LLMs 1,700; diffusion 800;
#: autoregressive ~500); the rest are "other" (no single model type named).
MODEL_SHARES = {"gan": 0.180, "vae": 0.033, "llm": 0.031, "diffusion": 0.015, "autoregressive": 0.009}
#: Mode (data type) shares (WIPO 2024 ~: image/video 17,996; text 13,494; speech/sound/music 13,480;
#: 3D, molecules/genes/proteins and code far fewer); the rest are "other".
MODE_SHARES = {"image_video": 0.333, "text": 0.250, "speech_sound_music": 0.249, "3d": 0.040,
               "molecules_genes_proteins": 0.028, "code": 0.020}

# --- planted effects (the synthetic world's ground truth) ----------------------------------------

#: Probability that a family is filed at an office other than its first-filing office (WO excluded).
FILED_ABROAD = {"US": 0.62, "GB": 0.58, "DE": 0.55, "CH": 0.6, "FR": 0.55, "JP": 0.45, "KR": 0.40, "IL": 0.7,
                "CA": 0.55, "IN": 0.20, "CN": 0.07, "TW": 0.45, "AU": 0.4, "SG": 0.5, "NL": 0.6, "SE": 0.6,
                "??": 0.20}
#: Multiplier on how likely a family is to be cited (heavy-tailed lognormal times this).
CITATION_ATTRACTIVENESS = {"US": 3.0, "GB": 2.6, "DE": 1.6, "CH": 2.0, "FR": 1.6, "IL": 2.0, "CA": 2.0,
                           "JP": 1.2, "KR": 1.1, "IN": 0.8, "CN": 0.5, "TW": 1.0, "AU": 1.3, "SG": 1.3,
                           "NL": 1.6, "SE": 1.6, "??": 1.0}
#: Mean number of claims by inventor country.
CLAIMS_MEAN = {"US": 20, "GB": 17, "DE": 15, "JP": 12, "KR": 14, "IN": 12, "CN": 9}
CLAIMS_MEAN_DEFAULT = 14
#: Grant rate of one application by office (before the data cut-off).
GRANT_RATE = {"CN": 0.45, "US": 0.70, "EP": 0.45, "JP": 0.65, "KR": 0.70, "IN": 0.30, "GB": 0.50, "DE": 0.50,
              "WO": 0.0}
GRANT_RATE_DEFAULT = 0.50
#: Data cut-off: nothing published after this date is in the world.
CUTOFF = "2024-06-30"
#: Share of extra near-miss (non-GenAI) families relative to the GenAI families.
NEAR_MISS_SHARE = 0.08
#: Share of families whose *first* publication lacks inventor countries while a later member has them.
PARTIAL_INVENTOR_COUNTRY = 0.03


def scaled(counts: dict, n_families: int) -> dict:
    """``counts`` scaled from the full ~54,000 families to ``n_families`` (round half to even)."""
    factor = n_families / TOTAL_FAMILIES
    return {k: int(round(v * factor)) for k, v in counts.items()}

# --- the population outside the landscape, and the planted citation inflation (issue 13) ---------

#: Population families per candidate family (the rest of each cohort: population.py).
POPULATION_FACTOR = 3.0
#: Inventor country of population families ("??": none known; their applicants are then Chinese).
POPULATION_COUNTRIES = {"CN": 0.45, "US": 0.18, "JP": 0.10, "KR": 0.08, "DE": 0.05, "IN": 0.03, "GB": 0.03,
                        "FR": 0.02, "TW": 0.02, "CA": 0.02, "??": 0.02}
#: Population families are cited less than GenAI families (multiplier on attractiveness).
POPULATION_ATTRACTIVENESS = 0.5
#: The country whose GenAI families receive planted domestic and self citations, and their size:
#: on average DOMESTIC_CITATIONS citing families of the same country (other applicants) and
#: SELF_CITATIONS citing families of the same applicant, each within 4 years of first publication.
INFLATED_COUNTRY = "CN"
DOMESTIC_CITATIONS = 3.0
SELF_CITATIONS = 2.0
#: What the demo's candidate export selects (as `patentq export-query google --landscape genai
#: --cpc F03D7/ --cpc B33Y10/ --cpc G06F30/` would): the genai definition's CPC prefixes plus the
#: near misses' codes, so the keyword traps of the landscape stay in the export.
EXPORT_CPC_PREFIXES = ["G06F40/56", "G06N20/", "G06N3/", "G06T11/", "G10H2250/311", "G10L13/",
                       "F03D7/", "B33Y10/", "G06F30/"]
