"""Titles, abstracts and CPC codes for the synthetic world, assembled from phrase tables.

GenAI families read like real GenAI filings (a model phrase + a data-type phrase) and carry the
CPC groups WIPO's 2024 GenAI landscape centres on (G06N3/045 generative networks and its 2023
subgroups G06N3/0455 auto-encoders and G06N3/0475 generative networks, G06N3/094 adversarial
learning), plus an application code for the data type. Near-miss families use the words
"generate"/"generative" outside GenAI (power generators, 3D printers, generative CAD design) or
a generic neural-network class alone, which a precise GenAI landscape must reject.
"""

from __future__ import annotations

import numpy as np


def lookup(values, mapping: dict, default) -> np.ndarray:
    """``mapping[v]`` per element, computed once per distinct value."""
    distinct, inverse = np.unique(np.asarray(values, dtype=object).astype(str), return_inverse=True)
    return np.array([mapping.get(v, default) for v in distinct], dtype=object)[inverse]

MODEL_PHRASES = {
    "gan": ["a generative adversarial network", "a conditional generative adversarial network",
            "a cycle-consistent generative adversarial network"],
    "vae": ["a variational autoencoder", "a conditional variational auto-encoder"],
    "llm": ["a large language model", "a generative pre-trained transformer language model"],
    "diffusion": ["a denoising diffusion probabilistic model", "a latent diffusion model", "a score-based diffusion model"],
    "autoregressive": ["an autoregressive generative model", "an autoregressive transformer decoder"],
    "other": ["a deep generative neural network", "a generative model", "a generative neural network"],
}
MODE_PHRASES = {
    "image_video": ["realistic images", "video frames", "synthetic face images", "images from sketches"],
    "text": ["natural language text", "dialogue responses", "document summaries"],
    "speech_sound_music": ["synthetic speech", "music", "voice audio"],
    "3d": ["three-dimensional models", "3D point clouds"],
    "molecules_genes_proteins": ["candidate drug molecules", "protein sequences"],
    "code": ["program source code", "software code"],
    "other": ["synthetic training data", "synthetic tabular data", "synthetic time series"],
}
MODE_DETAIL = {
    "image_video": "Image synthesis quality is improved while artefacts are reduced.",
    "text": "Text generation follows a prompt supplied by the user.",
    "speech_sound_music": "The synthesized voice has natural prosody.",
    "3d": "The generated meshes can be rendered from any viewpoint.",
    "molecules_genes_proteins": "Generated molecules are scored for binding affinity.",
    "code": "Generated code is checked by compiling it.",
    "other": "The synthetic samples augment a small training set.",
}
VERBS = ["Method for generating", "System and method for synthesizing", "Apparatus for generating",
         "Training method of a model for generating"]
#: CPC codes per model (first = the first code) and per mode (application side).
MODEL_CPC = {"gan": ["G06N3/0475", "G06N3/094"], "vae": ["G06N3/0455", ""], "llm": ["G06N3/045", "G06N3/0475"],
             "diffusion": ["G06N3/0475", ""], "autoregressive": ["G06N3/045", ""], "other": ["G06N3/045", ""]}
MODE_CPC = {"image_video": "G06T11/00", "text": "G06F40/56", "speech_sound_music": "G10L13/00", "3d": "G06T17/00",
            "molecules_genes_proteins": "G16C20/50", "code": "G06F8/30", "other": "G06N3/08"}
NEAR_MISS = [  # (title, abstract, cpc codes)
    ("Wind turbine for generating electricity with a variable-pitch rotor",
     "A wind turbine generates electricity; a controller adjusts the blade pitch to the wind speed.",
     ["F03D7/02", "H02K7/18"]),
    ("3D printer that generates support structures automatically",
     "The 3D printer generates support structures for overhanging parts before printing.",
     ["B33Y10/00", "B29C64/386"]),
    ("Generative design of lightweight brackets for aircraft",
     "A topology optimisation produces bracket geometries that meet load and weight constraints.",
     ["G06F30/17", "G06F30/23"]),
    ("Image classification with a convolutional neural network",
     "A convolutional neural network classifies product images into categories for inspection.",
     ["G06N3/0464", "G06V10/82"]),
]


def _pick(rng, table: dict, labels: np.ndarray) -> np.ndarray:
    out = np.empty(len(labels), dtype=object)
    for label in np.unique(labels):
        idx = np.flatnonzero(labels == label)
        phrases = np.array(table.get(label, table["other"]), dtype=object)
        out[idx] = phrases[rng.integers(0, len(phrases), len(idx))]
    return out


def titles_and_abstracts(rng, model, mode, near_miss_kind):
    n = len(model)
    model_p = _pick(rng, MODEL_PHRASES, model)
    mode_p = _pick(rng, MODE_PHRASES, mode)
    verb = np.array(VERBS, dtype=object)[rng.integers(0, len(VERBS), n)]
    title = verb + " " + mode_p + " using " + model_p
    detail = lookup(mode, MODE_DETAIL, MODE_DETAIL["other"])
    abstract = ("The disclosure provides a computer-implemented method in which " + model_p
                + " is trained to generate " + mode_p + ". " + detail
                + " The generated output is provided for display or further processing.")
    miss = near_miss_kind >= 0
    title[miss] = np.array([NEAR_MISS[k][0] for k in near_miss_kind[miss]], dtype=object)
    abstract[miss] = np.array([NEAR_MISS[k][1] for k in near_miss_kind[miss]], dtype=object)
    return title, abstract


def cpc_codes_for(rng, model, mode, near_miss_kind) -> dict:
    """Long table of (family index, code, is_first): model codes first, then the mode's code."""
    n = len(model)
    first = lookup(model, {k: v[0] for k, v in MODEL_CPC.items()}, "")
    second = lookup(model, {k: v[1] for k, v in MODEL_CPC.items()}, "")
    third = lookup(mode, MODE_CPC, "")
    miss = near_miss_kind >= 0
    first[miss] = np.array([NEAR_MISS[k][2][0] for k in near_miss_kind[miss]], dtype=object)
    second[miss] = np.array([NEAR_MISS[k][2][1] for k in near_miss_kind[miss]], dtype=object)
    third[miss] = ""
    codes = np.stack([first, second, third], axis=1).ravel()
    fam = np.repeat(np.arange(n), 3)
    is_first = np.tile(np.array([True, False, False]), n)
    keep = codes != ""
    return {"fam": fam[keep], "code": codes[keep], "is_first": is_first[keep]}
