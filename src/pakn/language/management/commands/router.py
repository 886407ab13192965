"""``pakn router train`` / ``pakn router eval`` / ``pakn router suggest``: the routing classifier."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

TARGETS = ("topic", "kind", "label")


class Command(BaseCommand):
    help = (
        "Bộ phân loại, phân luồng đơn / the routing classifier. "
        "train [--data FILE.csv|.jsonl] [--target topic|kind|label]: train from the deployment's own cases or a "
        "text,label file; eval --train A --test B [--json]: accuracy, macro-F1 and documents per second of the "
        "model beside a word + character n-gram TF-IDF linear-SVM baseline trained on the same data (documents/s "
        "in CPU time, one thread); suggest TEXT: try it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        train = sub.add_parser("train", help="train and activate a model")
        train.add_argument(
            "--data", help="CSV (header: text,label or similar) or JSONL; default: the cases in the database"
        )
        train.add_argument(
            "--target",
            choices=TARGETS,
            help="what the labels are (default: topic, or label for a file whose labels are not topic codes)",
        )
        train.add_argument("--min-docs", type=int, default=20)
        evaluate = sub.add_parser("eval", help="compare the model with the baseline")
        evaluate.add_argument("--train", required=True, dest="train_path")
        evaluate.add_argument("--test", required=True, dest="test_path")
        evaluate.add_argument("--json", action="store_true", dest="as_json")
        suggest = sub.add_parser("suggest", help="print the suggestion for a text")
        suggest.add_argument("text")
        suggest.add_argument("--province", default=None)
        suggest.add_argument("--commune", default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _train(self, options: dict[str, Any]) -> None:
        from pakn.cases.models import Topic
        from pakn.language import classifier, services

        if options["data"]:
            try:
                texts, labels = classifier.load_labelled(options["data"])
            except (OSError, ValueError) as exc:
                raise CommandError(str(exc)) from None
            known = set(Topic.objects.values_list("code", flat=True))
            target = options["target"] or ("topic" if set(labels) <= known else "label")
            source = options["data"]
        else:
            target = options["target"] or "topic"
            if target == "label":
                raise CommandError("--target label needs --data")
            texts, labels = services.history_rows(target)
            source = "history"
        if len(texts) < options["min_docs"] or len(set(labels)) < 2:
            raise CommandError(
                f"Chưa đủ dữ liệu để huấn luyện / not enough data: {len(texts)} documents, {len(set(labels))} labels "
                f"(need {options['min_docs']} and 2). Until then suggestions come from the keyword table."
            )
        model = classifier.TextClassifier().fit(texts, labels)
        row = services.save_router_model(target=target, classifier=model, n_docs=len(texts), data_source=source)
        self.stdout.write(
            f"OK: {target} model {row.version[:12]} trained on {len(texts)} documents, {len(model.labels)} labels "
            f"({len(row.blob) / 1e6:.1f} MB), active."
        )

    def _eval(self, options: dict[str, Any]) -> None:
        from pakn.language import classifier

        try:
            train_texts, train_labels = classifier.load_labelled(options["train_path"])
            test_texts, test_labels = classifier.load_labelled(options["test_path"])
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        result = classifier.evaluate(train_texts, train_labels, test_texts, test_labels)
        if options["as_json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(f"train: {result['train_docs']} documents · test: {result['test_docs']} documents")
        self.stdout.write(f"{'':10}{'accuracy':>10}{'macro-F1':>10}{'docs/s':>12}{'train s':>9}  name")
        for name in ("model", "baseline"):
            r = result[name]
            self.stdout.write(
                f"{name:10}{r['accuracy']:>10.4f}{r['macro_f1']:>10.4f}{r['docs_per_second']:>12.0f}"
                f"{r['train_seconds']:>9.1f}  {r['name']}"
            )
        delta = result["model"]["macro_f1"] - result["baseline"]["macro_f1"]
        self.stdout.write(f"macro-F1 model − baseline: {delta:+.4f}")

    def _suggest(self, options: dict[str, Any]) -> None:
        from pakn.language.classifier import suggest

        result = suggest(
            title="", content=options["text"], province_code=options["province"], commune_code=options["commune"]
        )
        self.stdout.write(json.dumps(result.as_fields(), ensure_ascii=False))
