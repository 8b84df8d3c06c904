#!/usr/bin/env python3
"""Lapis summarizer vs Lead-3 and sumy (LexRank, TextRank): ROUGE quality and speed.

Quality, on cnndm-sample/test.jsonl (2,000 stories; lower-cased PTB tokens) and
bbc-news-summary/articles.jsonl (2,225 stories): mean ROUGE-1 / ROUGE-2 / ROUGE-L / ROUGE-Lsum
F1 x 100 by Google's rouge-score (RougeScorer(..., use_stemmer=True); score(reference,
candidate); ROUGE-Lsum over newline-separated sentences) for
  lead3            the first 3 sentences (computed here),
  sumy-lexrank     sumy's LexRankSummarizer, 3 sentences,
  sumy-textrank    sumy's TextRankSummarizer, 3 sentences (all stories by default; limit with
                   --textrank-limit-bbc N / --textrank-limit-cnndm N, e.g. 300 on a slow
                   machine; on the project machine it ran at about LexRank's speed),
  lapis-METHOD     `lapis summarize --format jsonl --sentences 3 [--method METHOD] FILE` for each
                   --lapis-method (default: lead, lexrank, default); METHOD "default" passes no
                   --method, i.e. the binary's own default. Its summary sentences are joined by "\\n".
A system scored on fewer stories than the others also gets a "lead3 @same N" row on its stories.
--half first|second scores CNN/DM on its first or last 1,000 stories only (default: all);
--bbc-half odd|even scores BBC on the stories with odd or even file numbers only (default: all).
--supervised also trains `lapis train-summarizer` on each dataset's fit part (CNN/DM: the first
1,000 stories, reference highlights; BBC: odd file numbers, reference summary) and scores it as
"lapis-supervised" (`lapis summarize --model`); it implies --half second --bbc-half even, so
every row is scored on the reported part only.

Sentences and references:
  CNN/DM  sentences end at a ".", "!" or "?" token (closing quote/bracket tokens right after it
          stay with that sentence); reference = the highlights, one per line.
  BBC     every text line is a paragraph, split into sentences by a regex (a stop, then space,
          then a capital, digit, currency sign or opening quote; not after a known abbreviation
          or an initial); reference = the summary split by the same regex.
Lead-3 ROUGE depends on the splitter by about 0.1-0.2 points (e.g. a plain split after every
[.!?] + space, or ignoring paragraph breaks, moves it either way), which is the size of the gap
to the brief's reference numbers; R-Lsum also depends on how the reference is split.

sumy without NLTK data: sumy's default Tokenizer needs NLTK's "punkt_tab" models, which cannot
be downloaded here. The sumy worker therefore builds sumy's document model itself from the
sentences of the splitter above, with a tokenizer object whose words are NLTK's Treebank word
tokenizer on that sentence (nltk.word_tokenize(..., preserve_line=True), which needs no data)
filtered by sumy's own word test: the same words sumy's default English tokenizer gives for an
already-split sentence. Stemmer and stop words are sumy's English ones (shipped with sumy).

Speed (CNN/DM, all 2,000 stories): whole jobs, alternately, R rounds (--rounds, default 3):
  sumy     `python bench_summarizer.py _worker sumy --method lexrank ...`: a subprocess that
           imports sumy, reads the JSONL and writes one JSON line of summary per story;
  lapis    `lapis summarize --format jsonl --sentences 3 [--method M] test.jsonl` (M from
           --speed-method, default: none), stdout to a file.
Reported: median wall seconds, stories/s, peak RSS of each job (its own, by GNU time: see
benchproc.py), and lapis/sumy speed ratio.
The first round's outputs are also the ones scored for quality. Linearity: lapis on the first
500 and 1,000 stories, all 2,000, and the file repeated 4 times (8,000 stories, ids suffixed),
median of R rounds each, stories/s per size.

Usage (from the repository root):
  PY=$(bash Evaluation/pyenv.sh)
  nice "$PY" Evaluation/bench_summarizer.py                       # everything, 3 rounds
  nice "$PY" Evaluation/bench_summarizer.py --skip-lapis --rounds 1
  "$PY" Evaluation/bench_summarizer.py --half second --lapis-method default --json-out r.json
  nice "$PY" Evaluation/bench_summarizer.py --supervised --no-speed --no-linearity --markdown
Options: --data-dir DIR, --lapis PATH, --lapis-method M (repeatable), --speed-method M,
         --rounds R, --half all|first|second, --datasets cnndm,bbc, --textrank-limit-bbc N,
         --textrank-limit-cnndm N (0 = all), --no-textrank, --no-speed, --no-linearity,
         --skip-lapis, --json-out FILE, --markdown, --keep-temp.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import functools
import json
import shlex
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

from benchproc import DEFAULT_DATA_DIR, DEFAULT_LAPIS, check_inputs, machine_info, run_timed_or_die as run_timed, warn_if_busy

from textsplit import read_jsonl, split_ptb, split_regex, split_regex_paragraphs

WORKER = "_worker"
METRICS = ("rouge1", "rouge2", "rougeL", "rougeLsum")
SENTENCES = 3

DATASETS = {
    "cnndm": {"file": ("cnndm-sample", "test.jsonl"), "name": "CNN/DM test sample", "reference": "highlights"},
    "bbc": {"file": ("bbc-news-summary", "articles.jsonl"), "name": "BBC News Summary", "reference": "summary"},
}
# Numbers given in the brief (R-1 / R-2 / R-Lsum), shown next to ours for orientation.
REFERENCE_NUMBERS = {
    ("cnndm", "lead3"): (40.04, 17.39, 36.33),
    ("cnndm", "sumy-lexrank"): (35.06, 12.86, 31.54),
    ("bbc", "lead3"): (44.62, 35.97, 43.58),
    ("bbc", "sumy-lexrank"): (48.85, 41.85, 48.06),
}
REFERENCE_STORIES = {"cnndm": 2000, "bbc": 2225}


def die(message: str, code: int = 2) -> None:
    print(f"bench_summarizer: {message}", file=sys.stderr)
    sys.exit(code)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def story_paragraphs(dataset: str, text: str) -> list[list[str]]:
    if dataset == "cnndm":
        sentences = split_ptb(text)
        return [sentences] if sentences else []
    return split_regex_paragraphs(text)


def references(dataset: str, row: dict) -> list[str]:
    if dataset == "cnndm":
        return [h.strip() for h in row["highlights"].split("\n") if h.strip()]
    return split_regex(row["summary"])


# --------------------------------------------------------------------------------------------
# sumy worker (subprocess: `python bench_summarizer.py _worker sumy ...`)
# --------------------------------------------------------------------------------------------

def worker_sumy(method: str, dataset: str, input_path: Path, output_path: Path, count: int,
                limit: int) -> None:
    import nltk
    from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.nlp.tokenizers import Tokenizer
    from sumy.utils import get_stop_words

    if method == "lexrank":
        from sumy.summarizers.lex_rank import LexRankSummarizer as Summarizer
    elif method == "textrank":
        from sumy.summarizers.text_rank import TextRankSummarizer as Summarizer
    else:
        raise SystemExit(f"unknown sumy method {method}")

    class PreSplitTokenizer:
        """Words as sumy's default English tokenizer gives them for an already split sentence
        (Treebank tokens, sumy's word filter), without NLTK's punkt data."""
        language = "english"

        @staticmethod
        def to_words(sentence: str) -> tuple[str, ...]:
            words = nltk.word_tokenize(sentence, preserve_line=True)
            return tuple(w for w in words if Tokenizer._is_word(w))

        @staticmethod
        def to_sentences(paragraph: str) -> tuple[str, ...]:  # not used: sentences come split
            return tuple(s for p in story_paragraphs(dataset, paragraph) for s in p)

    tokenizer = PreSplitTokenizer()
    summarizer = Summarizer(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    done = 0
    with open(input_path, encoding="utf-8") as src, open(output_path, "w", encoding="utf-8") as out:
        for line in src:
            if not line.strip():
                continue
            if limit and done >= limit:
                break
            row = json.loads(line)
            paragraphs = story_paragraphs(dataset, row.get("text") or "")
            document = ObjectDocumentModel(
                [Paragraph([Sentence(s, tokenizer) for s in p]) for p in paragraphs])
            summary = [str(s) for s in summarizer(document, count)] if paragraphs else []
            out.write(json.dumps({"id": row.get("id"), "summary": summary},
                                 ensure_ascii=False) + "\n")
            done += 1


def worker_main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog=f"bench_summarizer.py {WORKER}")
    parser.add_argument("system", choices=["sumy"])
    parser.add_argument("--method", required=True, choices=["lexrank", "textrank"])
    parser.add_argument("--dataset", required=True, choices=sorted(DATASETS))
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--sentences", type=int, default=SENTENCES)
    parser.add_argument("--limit", type=int, default=0, help="first N stories only (0 = all)")
    a = parser.parse_args(argv)
    worker_sumy(a.method, a.dataset, a.input, a.output, a.sentences, a.limit)


# --------------------------------------------------------------------------------------------
# Running jobs
# --------------------------------------------------------------------------------------------

def sumy_cmd(method: str, dataset: str, input_path: Path, output_path: Path, limit: int = 0):
    return [sys.executable, str(Path(__file__).resolve()), WORKER, "sumy", "--method", method,
            "--dataset", dataset, "--input", str(input_path), "--output", str(output_path),
            "--sentences", str(SENTENCES), "--limit", str(limit)]


def is_odd_bbc_id(story_id: str) -> bool:
    """BBC ids are "category/NNN"; the fixed split is by the parity of NNN."""
    return int(story_id.rsplit("/", 1)[-1]) % 2 == 1


def lapis_cmd(lapis: Path, method: str | None, input_path: Path, model: Path | None = None) -> list[str]:
    cmd = [str(lapis), "summarize", "--format", "jsonl", "--sentences", str(SENTENCES)]
    if method and method != "default":
        cmd += ["--method", method]
    if model:
        cmd += ["--model", str(model)]
    return cmd + [str(input_path)]


def read_summaries(path: Path, what: str) -> dict[str, list[str]]:
    """id -> summary sentences from a JSONL file of {"id", "summary": [...]}."""
    result = {}
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                summary = row["summary"]
            except (json.JSONDecodeError, KeyError) as exc:
                die(f"{what}: line {line_no} is not {{\"id\", \"summary\"}} JSON ({exc!r}): "
                    f"{line[:200]!r}", code=1)
            if isinstance(summary, str):  # tolerate a single string, one sentence per line
                summary = [s for s in summary.split("\n") if s.strip()]
            result[str(row.get("id"))] = [str(s) for s in summary]
    return result


# --------------------------------------------------------------------------------------------
# ROUGE
# --------------------------------------------------------------------------------------------

class _MemoStemmer:
    """Memoizes a stemmer's stem(): same results as the wrapped stemmer, fewer calls."""

    def __init__(self, stemmer):
        self.stem = functools.lru_cache(maxsize=None)(stemmer.stem)


@functools.lru_cache(maxsize=1)
def rouge_scorer():
    from rouge_score import rouge_scorer as rs

    scorer = rs.RougeScorer(list(METRICS), use_stemmer=True)
    tokenizer = getattr(scorer, "_tokenizer", None)
    if tokenizer is not None and getattr(tokenizer, "_stemmer", None) is not None:
        tokenizer._stemmer = _MemoStemmer(tokenizer._stemmer)  # speed only
    return scorer


def rouge_means(ids: list[str], candidates: dict[str, list[str]], refs: dict[str, list[str]],
                what: str) -> dict:
    missing = [i for i in ids if i not in candidates]
    if missing:
        die(f"{what}: no summary for {len(missing)} of {len(ids)} stories "
            f"(first: {missing[:5]})", code=1)
    scorer = rouge_scorer()
    totals = {m: 0.0 for m in METRICS}
    for i in ids:
        scores = scorer.score("\n".join(refs[i]), "\n".join(candidates[i]))
        for m in METRICS:
            totals[m] += scores[m].fmeasure
    return {"n": len(ids), **{m: 100.0 * totals[m] / len(ids) for m in METRICS}}


# --------------------------------------------------------------------------------------------
# Output helpers
# --------------------------------------------------------------------------------------------

def print_table(header: list[str], rows: list[list[str]], markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        return
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    for row in [header] + rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                        for i, (c, w) in enumerate(zip(row, widths))))


def quality_rows(dataset: str, quality: dict) -> list[list[str]]:
    rows = []
    for system, q in quality.items():
        ref = REFERENCE_NUMBERS.get((dataset, system))
        if q["n"] != REFERENCE_STORIES[dataset]:  # the brief's numbers are for the whole file
            ref = None
        rows.append([system, str(q["n"]), f"{q['rouge1']:.2f}", f"{q['rouge2']:.2f}",
                     f"{q['rougeL']:.2f}", f"{q['rougeLsum']:.2f}",
                     " / ".join(f"{x:.2f}" for x in ref) if ref else ""])
    return rows


def report(results: dict, markdown: bool) -> None:
    if markdown:
        m = results["machine"]
        print(f"\n### Summarizer benchmark, {results['date']}\n")
        print(f"- machine: {m['nproc']} cores, {m['cpu_model']}, {m['ram_gib']} GiB RAM, Linux "
              f"{m['kernel']}, load average at start {m['loadavg_at_start']} / end "
              f"{m.get('loadavg_at_end')}, niceness "
              f"{m['niceness']}")
        print(f"- command: `{results['command']}`")
        print(f"- peak RSS: {m['peak_rss_method']}")
        print(f"- versions: {results['versions']}")
        print(f"- rounds: {results['rounds']}; ROUGE: rouge-score, Porter stemming, F1 x 100, "
              f"R-Lsum over newline-separated sentences\n")
    header = ["system", "stories", "R-1", "R-2", "R-L", "R-Lsum", "brief R-1/R-2/R-Lsum"]
    for dataset, quality in results["quality"].items():
        title = DATASETS[dataset]["name"]
        if dataset == "cnndm" and results["half"] != "all":
            title += f" ({results['half']} half)"
        if dataset == "bbc" and results.get("bbc_half", "all") != "all":
            title += f" ({results['bbc_half']} file numbers)"
        heading(f"{title}: ROUGE F1 x 100", markdown)
        print_table(header, quality_rows(dataset, quality), markdown)
    speed = results.get("speed")
    if speed:
        heading(f"Speed, CNN/DM {speed['stories']} stories, whole jobs, medians of "
                f"{results['rounds']} round(s)", markdown)
        header = ["system", "wall s", "stories/s", "CPU s", "peak RSS MiB"]
        rows = [[name, f"{s['wall_s']:.2f}", f"{s['stories_per_s']:.1f}", f"{s['cpu_s']:.2f}",
                 f"{s['peak_rss_mib']:.1f}"] for name, s in speed["systems"].items()]
        print_table(header, rows, markdown)
        if speed.get("ratio_lapis_over_sumy") is not None:
            if markdown:
                print()
            print(f"lapis / sumy-lexrank speed: {speed['ratio_lapis_over_sumy']:.1f}x")
    lin = results.get("linearity")
    if lin:
        heading("lapis linearity (CNN/DM)", markdown)
        rows = [[str(r["stories"]), f"{r['wall_s']:.3f}", f"{r['stories_per_s']:.1f}",
                 f"{r['peak_rss_mib']:.1f}"] for r in lin]
        print_table(["stories", "wall s", "stories/s", "peak RSS MiB"], rows, markdown)


def heading(text: str, markdown: bool) -> None:
    print()
    print(f"#### {text}\n" if markdown else text)


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------

def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == WORKER:
        worker_main(sys.argv[2:])
        return

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                        help="folder holding cnndm-sample/ and bbc-news-summary/ "
                             "(default: %(default)s)")
    parser.add_argument("--lapis", type=Path, default=DEFAULT_LAPIS,
                        help="lapis binary (default: %(default)s)")
    parser.add_argument("--lapis-method", action="append", dest="lapis_methods",
                        help="lapis --method to score (repeatable; 'default' = no --method); "
                             "default: lead, lexrank, default")
    parser.add_argument("--speed-method", default="default",
                        help="lapis --method for the speed runs (default: none given)")
    parser.add_argument("--rounds", type=int, default=3, help="speed rounds (default 3)")
    parser.add_argument("--half", choices=["all", "first", "second"], default="all",
                        help="score CNN/DM on all, the first or the last 1,000 stories")
    parser.add_argument("--bbc-half", choices=["all", "odd", "even"], default="all",
                        help="score BBC on stories with odd/even file numbers only (default: all)")
    parser.add_argument("--supervised", action="store_true",
                        help="train lapis train-summarizer on the fit parts and score it on the reported parts")
    parser.add_argument("--datasets", default="cnndm,bbc", help="comma list (default cnndm,bbc)")
    parser.add_argument("--textrank-limit-bbc", type=int, default=0,
                        help="sumy TextRank on the first N BBC stories (0 = all, the default)")
    parser.add_argument("--textrank-limit-cnndm", type=int, default=0,
                        help="sumy TextRank on the first N CNN/DM stories (0 = all, the default)")
    parser.add_argument("--no-textrank", action="store_true", help="skip sumy TextRank")
    parser.add_argument("--no-speed", action="store_true", help="skip the timed rounds")
    parser.add_argument("--no-linearity", action="store_true", help="skip the linearity check")
    parser.add_argument("--skip-lapis", action="store_true", help="Python anchors only")
    parser.add_argument("--json-out", type=Path, help="write all results as JSON to this file")
    parser.add_argument("--markdown", action="store_true",
                        help="print markdown tables with date, machine and command")
    parser.add_argument("--keep-temp", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    methods = args.lapis_methods or ["lead", "lexrank", "default"]
    datasets = [d.strip() for d in args.datasets.split(",") if d.strip()]
    for d in datasets:
        if d not in DATASETS:
            die(f"unknown dataset {d!r} (choose from {', '.join(DATASETS)})")
    if args.rounds < 1:
        die("--rounds must be at least 1")
    if args.supervised:
        if args.skip_lapis:
            die("--supervised needs lapis (drop --skip-lapis)")
        if args.half == "first" or args.bbc_half == "odd":
            die("--supervised fits on CNN/DM's first half and BBC's odd file numbers: it cannot score them")
        args.half, args.bbc_half = "second", "even"

    paths = {d: args.data_dir.joinpath(*DATASETS[d]["file"]) for d in datasets}
    lapis = args.lapis.resolve()
    use_lapis = not args.skip_lapis
    check_inputs(die, list(paths.values()), lapis if use_lapis else None)
    try:
        import nltk
        import rouge_score  # noqa: F401
        import sumy  # noqa: F401
    except ImportError:
        die("rouge-score/sumy not importable: run with the venv python, "
            "PY=$(bash Evaluation/pyenv.sh); \"$PY\" Evaluation/bench_summarizer.py ...")

    from importlib.metadata import version
    results: dict = {
        "benchmark": "summarizer", "date": _dt.datetime.now(_dt.timezone.utc).strftime(
            "%Y-%m-%d %H:%M UTC"),
        "command": shlex.join([sys.executable] + sys.argv), "machine": machine_info(),
        "versions": {"sumy": version("sumy"), "rouge-score": version("rouge-score"),
                     "nltk": nltk.__version__},
        "rounds": args.rounds, "half": args.half, "bbc_half": args.bbc_half, "supervised": args.supervised,
        "lapis_methods": methods if use_lapis else [],
        "quality": {}, "data_dir": str(args.data_dir),
    }

    warn_if_busy(results["machine"])
    work = Path(tempfile.mkdtemp(prefix="lapis-bench-sum-"))
    outputs: dict[tuple, Path] = {}  # (dataset, system) -> summaries JSONL
    try:
        rows = {d: read_jsonl(paths[d]) for d in datasets}
        ids = {d: [str(r["id"]) for r in rows[d]] for d in datasets}
        refs = {d: {str(r["id"]): references(d, r) for r in rows[d]} for d in datasets}

        # ---- speed (CNN/DM): alternate whole jobs; round 1's outputs are scored below -------
        if "cnndm" in datasets and not args.no_speed:
            src = paths["cnndm"]
            n = len(rows["cnndm"])
            timings: dict[str, list[dict]] = {"sumy-lexrank": []}
            lapis_name = f"lapis-{args.speed_method}"
            if use_lapis:
                timings[lapis_name] = []
            for r in range(args.rounds):
                order = list(timings) if r % 2 == 0 else list(reversed(list(timings)))
                for system in order:
                    out = work / f"speed-{system}-{r}.jsonl"
                    if system == "sumy-lexrank":
                        t = run_timed(sumy_cmd("lexrank", "cnndm", src, out), work / f"{system}-{r}.log")
                    else:
                        t = run_timed(lapis_cmd(lapis, args.speed_method, src), out)
                    log(f"speed round {r + 1}/{args.rounds}: {system} {t['wall_s']:.2f}s "
                        f"({n / t['wall_s']:.1f} stories/s, {t['peak_rss_mib']:.0f} MiB)")
                    timings[system].append(t)
                    if r == 0:
                        key = "sumy-lexrank" if system == "sumy-lexrank" else \
                            f"lapis-{args.speed_method}"
                        outputs[("cnndm", key)] = out
            speed = {"stories": n, "systems": {}}
            for system, ts in timings.items():
                wall = statistics.median(t["wall_s"] for t in ts)
                speed["systems"][system] = {
                    "wall_s": wall, "wall_s_all": [t["wall_s"] for t in ts],
                    "stories_per_s": n / wall,
                    "cpu_s": statistics.median(t["cpu_s"] for t in ts),
                    "peak_rss_mib": statistics.median(t["peak_rss_mib"] for t in ts)}
            if use_lapis:
                speed["ratio_lapis_over_sumy"] = (speed["systems"][lapis_name]["stories_per_s"]
                                                  / speed["systems"]["sumy-lexrank"]["stories_per_s"])
            results["speed"] = speed

        # ---- linearity (lapis only) -------------------------------------------------------------
        if use_lapis and "cnndm" in datasets and not args.no_linearity:
            lines = [ln for ln in paths["cnndm"].read_text(encoding="utf-8").splitlines() if ln.strip()]
            sizes = {}
            for k in (500, 1000):
                if k < len(lines):
                    p = work / f"lin-{k}.jsonl"
                    p.write_text("\n".join(lines[:k]) + "\n", encoding="utf-8")
                    sizes[k] = p
            sizes[len(lines)] = paths["cnndm"]
            p = work / "lin-x4.jsonl"
            with open(p, "w", encoding="utf-8") as f:
                for copy in range(4):
                    for ln in lines:
                        row = json.loads(ln)
                        row["id"] = f"{row['id']}-c{copy}"
                        f.write(json.dumps(row, ensure_ascii=False) + "\n")
            sizes[4 * len(lines)] = p
            lin = {k: [] for k in sizes}
            for r in range(args.rounds):
                for k in (sorted(sizes) if r % 2 == 0 else sorted(sizes, reverse=True)):
                    t = run_timed(lapis_cmd(lapis, args.speed_method, sizes[k]),
                                  work / f"lin-out-{k}.jsonl")
                    lin[k].append(t)
            results["linearity"] = []
            for k in sorted(lin):
                wall = statistics.median(t["wall_s"] for t in lin[k])
                results["linearity"].append({
                    "stories": k, "wall_s": wall, "stories_per_s": k / wall,
                    "wall_s_all": [t["wall_s"] for t in lin[k]],
                    "peak_rss_mib": statistics.median(t["peak_rss_mib"] for t in lin[k])})
                log(f"linearity: {k} stories {wall:.3f}s ({k / wall:.1f} stories/s)")

        # ---- quality ----------------------------------------------------------------------------
        for d in datasets:
            src = paths[d]
            scored = ids[d]
            if d == "cnndm" and args.half != "all":
                mid = len(scored) // 2
                scored = scored[:mid] if args.half == "first" else scored[mid:]
            if d == "bbc" and args.bbc_half != "all":
                scored = [i for i in scored if is_odd_bbc_id(i) == (args.bbc_half == "odd")]
            cands: dict[str, dict[str, list[str]]] = {}
            cands["lead3"] = {str(r["id"]): [s for p in story_paragraphs(d, r["text"]) for s in p][:3]
                              for r in rows[d]}
            systems = [("sumy-lexrank", "lexrank", 0)]
            if not args.no_textrank:
                limit = args.textrank_limit_bbc if d == "bbc" else args.textrank_limit_cnndm
                systems.append(("sumy-textrank", "textrank", limit))
            for name, method, limit in systems:
                if (d, name) not in outputs:
                    out = work / f"{d}-{name}.jsonl"
                    t = run_timed(sumy_cmd(method, d, src, out, limit), work / f"{d}-{name}.log")
                    log(f"{d}: {name} {t['wall_s']:.1f}s"
                        + (f" (first {limit} stories)" if limit else ""))
                    outputs[(d, name)] = out
                cands[name] = read_summaries(outputs[(d, name)], f"{d} {name}")
            if use_lapis:
                for method in methods:
                    name = f"lapis-{method}"
                    if (d, name) not in outputs:
                        out = work / f"{d}-{name}.jsonl"
                        t = run_timed(lapis_cmd(lapis, method, src), out)
                        log(f"{d}: {name} {t['wall_s']:.2f}s")
                        outputs[(d, name)] = out
                    cands[name] = read_summaries(outputs[(d, name)], f"{d} {name}")
            if args.supervised:
                fit_ids = ids[d][:len(ids[d]) // 2] if d == "cnndm" else [i for i in ids[d] if is_odd_bbc_id(i)]
                id_file = work / f"{d}-fit-ids.txt"
                id_file.write_text("\n".join(fit_ids) + "\n", encoding="utf-8")
                model = work / f"{d}-supervised.lapis"
                t = run_timed([str(lapis), "train-summarizer", "--data", str(src), "--reference-field",
                               DATASETS[d]["reference"], "--only-ids", str(id_file), "--output", str(model)],
                              work / f"{d}-train-summarizer.log")
                log(f"{d}: lapis train-summarizer on {len(fit_ids)} stories {t['wall_s']:.1f}s: "
                    f"{t['stderr'].strip()}")
                out = work / f"{d}-lapis-supervised.jsonl"
                run_timed(lapis_cmd(lapis, None, src, model=model), out)
                cands["lapis-supervised"] = read_summaries(out, f"{d} lapis-supervised")
                results.setdefault("supervised_training", {})[d] = {
                    "fit_stories": len(fit_ids), "train_s": t["wall_s"], "message": t["stderr"].strip()}

            quality = {}
            for name, cand in cands.items():
                subset = [i for i in scored if i in cand] if name == "sumy-textrank" else scored
                if not subset:
                    log(f"{d}: {name} has no summaries among the scored stories; not scored")
                    continue
                quality[name] = rouge_means(subset, cand, refs[d], f"{d} {name}")
                log(f"{d}: scored {name} on {len(subset)} stories")
                if len(subset) < len(scored):
                    quality[f"lead3 @same {len(subset)}"] = rouge_means(
                        subset, cands["lead3"], refs[d], f"{d} lead3 subset")
            results["quality"][d] = quality
    finally:
        if args.keep_temp:
            log(f"temporary files kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    try:
        results["machine"]["loadavg_at_end"] = Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        pass
    report(results, args.markdown)
    if args.json_out:
        args.json_out.write_text(json.dumps(results, indent=2) + "\n")
        log(f"results written to {args.json_out}")


if __name__ == "__main__":
    main()
