"""Makes tests/reader/data/tiny-cross-encoder/: a tiny, randomly initialised BERT cross-encoder
in the usual layout (config.json, tokenizer.json, model.safetensors, SHA256SUMS), and
reference.json: logits that transformers' BertForSequenceClassification computes for some
(question, passage) pairs from the seed corpus.

No real cross-encoder's weights can be installed here, so the numpy implementation
(bot/reader/local.py) is checked against the reference implementation on this one.

Needs PyTorch and transformers, which the project does not depend on; in a scratch venv:
    pip install torch==2.13.0 transformers
    python tests/reader/data/make_tiny_cross_encoder.py
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import torch
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
from tokenizers.trainers import WordPieceTrainer
from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

HERE = Path(__file__).parent
OUT = HERE / "tiny-cross-encoder"
CORPUS = HERE.parents[2] / "corpus"
SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
MAX_TOKENS = 64  # short, so the long passages below are truncated, as real ones are at 512
QUESTIONS = [
    "How often do people get Botox injections?",
    "did it mess with anyone's eyesight?",
    "Was the neck pain worse afterwards?",
]


def corpus_lines() -> list[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt")))
    return [line.strip() for line in text.splitlines() if len(line.strip()) > 20]


def tokenizer(lines: list[str]) -> Tokenizer:
    tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.train_from_iterator(lines, WordPieceTrainer(vocab_size=300, special_tokens=SPECIAL))
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        pair="[CLS] $A [SEP] $B:1 [SEP]:1",
        special_tokens=[("[CLS]", cls), ("[SEP]", sep)],
    )
    tok.decoder = decoders.WordPiece()
    return tok


def main() -> None:
    torch.manual_seed(20261202)
    lines = corpus_lines()
    tok = tokenizer(lines)
    OUT.mkdir(parents=True, exist_ok=True)
    tok.save(str(OUT / "tokenizer.json"))
    config = BertConfig(
        vocab_size=tok.get_vocab_size(),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=64,
        max_position_embeddings=MAX_TOKENS,
        num_labels=1,
    )
    model = BertForSequenceClassification(config).eval()
    with torch.no_grad():  # random weights of a trained model's size, so scores differ
        for param in model.parameters():
            param.normal_(0.0, 0.2)
    model.save_pretrained(str(OUT), safe_serialization=True)
    hf = PreTrainedTokenizerFast(
        tokenizer_file=str(OUT / "tokenizer.json"),
        pad_token="[PAD]",
        unk_token="[UNK]",
        cls_token="[CLS]",
        sep_token="[SEP]",
        # As BERT's own tokenizer does: the passage's tokens get token type 1.
        model_input_names=["input_ids", "token_type_ids", "attention_mask"],
    )
    passages = [lines[i] for i in (3, 10, 25, 40, 55)] + [max(lines, key=len), "Yes."]
    cases = []
    for question in QUESTIONS:
        batch = hf(
            [question] * len(passages),
            passages,
            padding=True,
            truncation="longest_first",
            max_length=MAX_TOKENS,
            return_tensors="pt",
        )
        with torch.no_grad():
            logits = model(**batch).logits[:, 0].tolist()
        cases.append({"question": question, "passages": passages, "logits": logits})
    (HERE / "reference.json").write_text(json.dumps(cases, indent=1) + "\n", encoding="utf-8")
    names = ["config.json", "tokenizer.json", "model.safetensors"]
    sums = [f"{hashlib.sha256((OUT / n).read_bytes()).hexdigest()}  {n}" for n in names]
    (OUT / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
