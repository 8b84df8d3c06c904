#!/usr/bin/env python3
"""Coverage-style extractive summarizers with a lead prior: can one of them reach Lead-3 on
CNN/DM and sumy TextRank on BBC at once (issue 16)?

    PY=$(bash Evaluation/pyenv.sh)
    nice -n 10 "$PY" Evaluation/summarizer_coverage.py [--quick | --switch-only]

Reads ONLY the fit halves, as issue 16 allows for choosing: CNN/DM = the first 1,000 stories of
cnndm-sample/test.jsonl, BBC = the stories with odd file numbers (bench_summarizer.is_odd_bbc_id).
The other halves (CNN/DM stories 1000+, BBC even numbers) are neither scored nor kept. The data
is read from ../shared/data at run time and never written anywhere.

Sentences, references and the scorer are bench_summarizer.py's (story_paragraphs, references,
rouge_scorer: ROUGE-1 / ROUGE-2 / ROUGE-Lsum F1 x 100 with stemming), as in
summarizer_tradeoff.py. Every method picks at most 3 sentences, returned in story order, from
the story alone (its own sentences; the title where the story has one; optionally idf from our
own corpus, TrainingData/corpus.jsonl). Terms: lower-cased words, sklearn's English stop words
removed, Porter stems, numbers dropped, so case and line breaks play no part.

Methods (<= 3 hyperparameters each, swept here on the fit halves):
  lead3        the first 3 sentences (the CNN/DM bar);
  positional   a Python re-implementation of lapis' default ranker (reference point);
  LB           Lin & Bilmes (2011): F(S) = L(S)/n + lam * R(S) + mu * sum_{j in S} 1/(1+j), with
               L(S) = sum_i min(sum_{j in S} w_ij, (a/n) * sum_j w_ij), w = TF-IDF cosine,
               R(S) = sum_k sqrt(sum_{j in S, cluster k} r_j), r_j = mean_i w_ij, clusters = k-means
               (k = ceil(n/5)) of the TF-IDF rows; greedy (a, lam, mu); "corpus idf": idf from our corpus;
  GF           Gillick & Favre (2009) concept coverage: concepts = content-term bigrams (or
               unigrams) with sentence frequency >= 2, weight = that frequency; maximise the
               covered weight (normalised by the story's total) + mu * sum 1/(1+j); greedy or exact
               over triples; optional length budget of b x the story's median sentence length;
  FREQ         top 3 by s_i = sum over distinct terms t of sentence i of (df_t - 1) (df over the
               story's sentences), normalised by the story's max, + mu * exp(-i/tau); no redundancy
               control (mu, tau);
  POS+FREQ     lapis' positional score + beta * the FREQ score (normalised), MMR penalty 0.3 and
               lead weight 1 as lapis unless given (beta, mmr, lead);
  ADAPT        centrality (FREQ score) + a lead prior whose weight depends on how concentrated
               the story is in its lead: g * max(0, c - c0) / (1+i), c = cosine between the
               TF-IDF centroid of the first 3 sentences and that of the rest (g, c0);
  LENPREF      FREQ score x (len_i / median len of the story)^rho + mu/(1+i) (rho, mu).
Prints one row per setting: CNN/DM and BBC R-1 / R-2 / R-Lsum, whether CNN/DM reaches Lead-3 on
all three ("CNN") and whether BBC also reaches sumy TextRank's 59.25 / 54.30 ("BOTH"), and the
selection time per story (Python, excluding ROUGE; story analysis recomputed for every setting, the
k-means clustering only once, in the first LB row with lam > 0). Then the best setting per method,
and the per-story choice between positional and FREQ: the best of the two per story (an oracle,
which no rule has) and the Spearman correlation of story features with FREQ's R-1 gain, i.e.
whether anything in the story tells which of the two a story's reference favours.
"""
import argparse
import functools
import json
import math
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_summarizer as B  # noqa: E402  (the benchmark's splitter, references and scorer)
from summarizer_tradeoff import DATA, METRICS, PATHS, fit_rows  # noqa: E402  (the same fit halves)

CORPUS = HERE.parent / "TrainingData" / "corpus.jsonl"
BBC_BAR = (59.25, 54.30)  # sumy TextRank on BBC
K = 3

# --------------------------------------------------------------------------------------------
# Stories
# --------------------------------------------------------------------------------------------


_WORD = re.compile(r"[a-z][a-z0-9']*|[0-9]+")


@functools.lru_cache(maxsize=1)
def _analysis():
    from nltk.stem.porter import PorterStemmer
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
    return functools.lru_cache(maxsize=None)(PorterStemmer().stem), frozenset(ENGLISH_STOP_WORDS)


def terms(sentence):
    """Content terms: lower-cased words, stop words and numbers removed, Porter stems."""
    stem, stop = _analysis()
    out = []
    for w in _WORD.findall(sentence.lower()):
        w = w.strip("'")
        if w.endswith("'s"):
            w = w[:-2]
        if len(w) < 2 or w in stop or w.isdigit():
            continue
        out.append(stem(w))
    return out


def word_count(sentence):
    return sum(1 for w in sentence.split() if re.search(r"[A-Za-z0-9]", w))


class Story:
    def __init__(self, row, dataset):
        self.id = str(row["id"])
        self.sents = [s for p in B.story_paragraphs(dataset, row["text"]) for s in p]
        self.ref = "\n".join(B.references(dataset, row))
        self.title = row.get("title")
        self.n = len(self.sents)
        self.terms = [terms(s) for s in self.sents]
        self.nwords = np.array([word_count(s) for s in self.sents], float)
        self._cache = {}

    def memo(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def tfidf(self, idf_source=None):
        """Unit TF-IDF rows (sublinear tf; smoothed idf over the story's sentences, or the corpus)."""
        def make():
            vocab = {}
            for ts in self.terms:
                for t in ts:
                    vocab.setdefault(t, len(vocab))
            df = np.zeros(len(vocab))
            for ts in self.terms:
                for t in set(ts):
                    df[vocab[t]] += 1
            if idf_source is None:
                idf = np.log((1 + self.n) / (1 + df)) + 1
            else:
                idf = np.array([idf_source(t) for t in vocab])
            X = np.zeros((self.n, len(vocab)))
            for i, ts in enumerate(self.terms):
                for t, c in Counter(ts).items():
                    X[i, vocab[t]] = (1 + math.log(c)) * idf[vocab[t]]
            norms = np.linalg.norm(X, axis=1)
            norms[norms == 0] = 1
            X /= norms[:, None]
            return X, X @ X.T, vocab, idf
        return self.memo(("tfidf", idf_source is None), make)

    def freq_scores(self):
        """s_i = sum over the distinct terms of sentence i of (sentence frequency - 1), / max."""
        def make():
            df = Counter(t for ts in self.terms for t in set(ts))
            s = np.array([sum(df[t] - 1 for t in set(ts)) for ts in self.terms], float)
            return s / s.max() if s.size and s.max() > 0 else s
        return self.memo("freq", make)

    def title_sim(self):
        def make():
            X, _, vocab, idf = self.tfidf()
            v = np.zeros(len(vocab))
            for t in terms(self.title or ""):
                if t in vocab:
                    v[vocab[t]] = idf[vocab[t]]
            nv = np.linalg.norm(v)
            return X @ v / nv if nv > 0 else np.zeros(self.n)
        return self.memo("title", make)

    def kmeans(self):
        def make():
            from sklearn.cluster import KMeans
            k = max(1, math.ceil(self.n / 5))
            if k == 1 or self.n <= k:
                return np.arange(self.n) if self.n <= k else np.zeros(self.n, int)
            X = self.tfidf()[0]
            return KMeans(n_clusters=k, n_init=3, random_state=0).fit(X).labels_
        return self.memo("kmeans", make)


@functools.lru_cache(maxsize=1)
def corpus_idf():
    """idf from our own corpus (TrainingData/corpus.jsonl), documents = stories."""
    rows = B.read_jsonl(CORPUS)
    df = Counter()
    for r in rows:
        df.update(set(terms(r.get("title", "") + " " + r["text"])))
    n = len(rows)
    return lambda t: math.log((1 + n) / (1 + df.get(t, 0))) + 1


# --------------------------------------------------------------------------------------------
# Methods: each returns fn(story) -> list of up to K sentence indices
# --------------------------------------------------------------------------------------------


def inv_prior(n):
    return 1.0 / (1 + np.arange(n))


def lead3():
    return lambda s: list(range(min(K, s.n)))


def _mmr(rel, W, pen):
    chosen, avail = [], list(range(len(rel)))
    while len(chosen) < K and avail:
        best = max(avail, key=lambda a: (rel[a] - pen * max([W[a, c] for c in chosen], default=0.0), -a))
        chosen.append(best)
        avail.remove(best)
    return chosen


def _demote(score, s, minimum_words=8):
    return np.where(s.nwords < minimum_words, score - 1000, score)


def _directed(W, forward=1.0, backward=-0.3):
    d = forward * np.triu(W, 1).sum(1) + backward * np.tril(W, -1).sum(1)
    span = d.max() - d.min()
    return (d - d.min()) / span if span > 0 else np.zeros(len(W))


def positional(beta=0.0, lead_w=1.0, title_w=0.3, pen=0.3):
    """lapis' default (PacSum-style directed centrality + lead + title, MMR 0.3, fragments < 8
    words last), plus beta x the FREQ score."""
    def fn(s):
        if s.n == 0:
            return []
        W = s.tfidf()[1]
        score = _directed(W) + lead_w * inv_prior(s.n) + title_w * s.title_sim() + beta * s.freq_scores()
        return _mmr(_demote(score, s), W, pen)
    return fn


def lin_bilmes(a=5.0, lam=0.0, mu=0.0, corpus=False):
    def fn(s):
        n = s.n
        if n <= K:
            return list(range(n))
        W = s.tfidf(corpus_idf() if corpus else None)[1]
        cap = (a / n) * W.sum(1) if a is not None else np.full(n, np.inf)
        reward = W.mean(0)
        labels = s.kmeans() if lam > 0 else None
        prior = inv_prior(n)
        cur, clusters, chosen = np.zeros(n), Counter(), []

        def objective(cov, cl):
            return np.minimum(cov, cap).sum() / n + lam * sum(math.sqrt(v) for v in cl.values())
        base = objective(cur, clusters)
        for _ in range(K):
            best, best_j = -math.inf, None
            for j in range(n):
                if j in chosen:
                    continue
                cl = clusters.copy()
                if lam > 0:
                    cl[labels[j]] += reward[j]
                gain = objective(cur + W[:, j], cl) - base + mu * prior[j]
                if gain > best:
                    best, best_j = gain, j
            chosen.append(best_j)
            cur = cur + W[:, best_j]
            if lam > 0:
                clusters[labels[best_j]] += reward[best_j]
            base = objective(cur, clusters)
        return chosen
    return fn


def gillick_favre(concept="bi", mu=0.0, budget=None, exact=False):
    def fn(s):
        n = s.n
        if n <= K:
            return list(range(n))
        uni = [set(ts) for ts in s.terms]
        bi = [set(zip(ts, ts[1:])) for ts in s.terms]
        sets = {"uni": uni, "bi": bi, "both": [u | b for u, b in zip(uni, bi)]}[concept]
        weight = {c: v for c, v in Counter(c for x in sets for c in x).items() if v >= 2}
        total = sum(weight.values()) or 1.0
        sets = [{c for c in x if c in weight} for x in sets]
        prior = inv_prior(n)
        cap = budget * float(np.median(s.nwords)) if budget else math.inf
        if exact and n <= 60:
            concepts = {c: k for k, c in enumerate(weight)}
            M = np.zeros((n, len(concepts)), bool)
            for i, x in enumerate(sets):
                for c in x:
                    M[i, concepts[c]] = True
            w = np.array([weight[c] for c in concepts], float) / total
            best, best_t = -math.inf, None
            for a in range(n):
                for b in range(a + 1, n):
                    U = M[a] | M[b]
                    rest = np.arange(b + 1, n)
                    if rest.size == 0:
                        continue
                    ok = s.nwords[a] + s.nwords[b] + s.nwords[rest] <= cap
                    if not ok.any():
                        continue
                    rest = rest[ok]
                    val = (U | M[rest]) @ w + mu * (prior[a] + prior[b] + prior[rest])
                    k = int(np.argmax(val))
                    if val[k] > best:
                        best, best_t = val[k], [a, b, int(rest[k])]
            if best_t is not None:
                return best_t
        chosen, covered, used = [], set(), 0.0
        for _ in range(K):
            best, best_j = -math.inf, None
            for j in range(n):
                if j in chosen or used + s.nwords[j] > cap:
                    continue
                gain = sum(weight[c] for c in sets[j] - covered) / total + mu * prior[j]
                if gain > best:
                    best, best_j = gain, j
            if best_j is None:
                break
            chosen.append(best_j)
            covered |= sets[best_j]
            used += s.nwords[best_j]
        return chosen or [0]
    return fn


def freq(mu=0.0, tau=None):
    def fn(s):
        if s.n <= K:
            return list(range(s.n))
        prior = np.exp(-np.arange(s.n) / tau) if tau else inv_prior(s.n)
        score = s.freq_scores() + mu * prior
        return list(np.argsort(-score, kind="stable")[:K])
    return fn


def lead_concentration(s):
    X = s.tfidf()[0]
    a, b = X[:K].sum(0), X[K:].sum(0)
    d = np.linalg.norm(a) * np.linalg.norm(b)
    return float(a @ b / d) if d > 0 else 0.0


def adaptive(g=1.0, c0=0.0):
    def fn(s):
        if s.n <= K:
            return list(range(s.n))
        w = g * max(0.0, lead_concentration(s) - c0)
        score = s.freq_scores() + w * inv_prior(s.n)
        return list(np.argsort(-score, kind="stable")[:K])
    return fn


def length_pref(rho=0.0, mu=0.0):
    def fn(s):
        if s.n <= K:
            return list(range(s.n))
        rel = np.maximum(s.nwords, 1) / max(float(np.median(s.nwords)), 1.0)
        score = s.freq_scores() * rel ** rho + mu * inv_prior(s.n)
        return list(np.argsort(-score, kind="stable")[:K])
    return fn


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------


class Bench:
    def __init__(self):
        self.stories = {d: [Story(r, d) for r in fit_rows(d, B.read_jsonl(p))] for d, p in PATHS.items()}
        self.scorer = B.rouge_scorer()
        self.cache = {}
        self.lead = None
        self.rows = []

    def score(self, d, k, sel):
        key = (d, k, sel)
        if key not in self.cache:
            s = self.stories[d][k]
            sc = self.scorer.score(s.ref, "\n".join(s.sents[i] for i in sel))
            self.cache[key] = tuple(100 * sc[m].fmeasure for m in METRICS)
        return self.cache[key]

    def run(self, method, setting, fn):
        for stories in self.stories.values():  # honest timings: recompute per run (k-means excepted)
            for s in stories:
                s._cache = {k: v for k, v in s._cache.items() if k == "kmeans"}
        t0, count, means = time.perf_counter(), 0, {}
        selections = {}
        for d, stories in self.stories.items():
            selections[d] = [tuple(sorted(int(i) for i in fn(s))[:K]) for s in stories]
            count += len(stories)
        per_story_ms = 1000 * (time.perf_counter() - t0) / count
        for d in self.stories:
            means[d] = np.mean([self.score(d, k, sel) for k, sel in enumerate(selections[d])], axis=0)
        if self.lead is None:
            self.lead = means["cnndm"]
        cnn_ok = bool(np.all(means["cnndm"] >= self.lead - 1e-9))
        both = cnn_ok and means["bbc"][0] >= BBC_BAR[0] and means["bbc"][1] >= BBC_BAR[1]
        row = dict(method=method, setting=setting, cnn=means["cnndm"], bbc=means["bbc"], cnn_ok=cnn_ok, both=both, ms=per_story_ms)
        self.rows.append(row)
        print(fmt(row), flush=True)
        return row


def fmt(r):
    return "| %-8s | %-28s | %5.2f / %5.2f / %5.2f | %5.2f / %5.2f / %5.2f | %-3s | %-4s | %6.2f |" % (
        r["method"], r["setting"], *r["cnn"], *r["bbc"], "yes" if r["cnn_ok"] else "no", "yes" if r["both"] else "no", r["ms"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a few settings per method only")
    parser.add_argument("--switch-only", action="store_true",
                        help="only the per-story choice between positional and FREQ (its oracle and its predictors)")
    args = parser.parse_args()
    if not all(p.exists() for p in PATHS.values()):
        sys.exit(f"summarizer_coverage: {DATA} is absent: the CNN/DM sample and BBC News Summary are read from there")
    bench = Bench()
    corpus_idf()  # loaded once, outside the timings
    print("fit halves: CNN/DM %d stories, BBC %d stories; ROUGE F1 x 100 (R-1 / R-2 / R-Lsum)"
          % (len(bench.stories["cnndm"]), len(bench.stories["bbc"])))
    print("| method   | setting                      | CNN/DM R-1 / R-2 / R-Lsum | BBC R-1 / R-2 / R-Lsum    | CNN | BOTH | ms/story |")
    print("|---|---|---|---|---|---|---|")
    if args.switch_only:
        per_story_switch(bench)
        return
    q = args.quick
    bench.run("lead3", "-", lead3())
    bench.run("posit.", "lapis default (Python)", positional())
    for a in ((None, 5, 10) if not q else (5,)):
        for mu in ((0, 0.05, 0.1, 0.15, 0.2, 0.4) if not q else (0, 0.1)):
            bench.run("LB", f"a={a} lam=0 mu={mu}", lin_bilmes(a=a, mu=mu))
    for lam in ((0.5, 2.0) if not q else (1.0,)):
        for mu in ((0, 0.1, 0.2) if not q else (0.1,)):
            bench.run("LB", f"a=5 lam={lam} mu={mu}", lin_bilmes(a=5, lam=lam, mu=mu))
    for mu in ((0, 0.1, 0.2) if not q else (0.1,)):
        bench.run("LB", f"a=5 mu={mu} corpus idf", lin_bilmes(a=5, mu=mu, corpus=True))
    for concept in ("uni", "bi", "both"):
        for mu in ((0, 0.1, 0.2, 0.3, 0.4, 0.8) if not q else (0, 0.2)):
            bench.run("GF", f"{concept} mu={mu}", gillick_favre(concept, mu))
    for concept in ("uni", "bi"):
        for mu in ((0, 0.2) if not q else (0.2,)):
            bench.run("GF", f"{concept} mu={mu} exact", gillick_favre(concept, mu, exact=True))
    for budget in ((2.5, 3.0, 4.0) if not q else (3.0,)):
        for mu in ((0, 0.2, 0.4) if not q else (0.2,)):
            bench.run("GF", f"uni mu={mu} budget={budget}xmed", gillick_favre("uni", mu, budget=budget))
    for tau in ((None, 1.0, 3.0) if not q else (None,)):
        for mu in ((0, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0) if not q else (0, 0.5)):
            if mu == 0 and tau is not None:
                continue
            bench.run("FREQ", f"mu={mu} prior={'1/(1+i)' if tau is None else f'exp(-i/{tau:g})'}", freq(mu, tau))
    for beta in ((0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0) if not q else (0.5, 2.0)):
        bench.run("POS+FREQ", f"beta={beta}", positional(beta=beta))
    for beta in ((0.75, 1.0, 1.5) if not q else (1.0,)):
        for pen in ((0.0, 0.6) if not q else (0.6,)):
            bench.run("POS+FREQ", f"beta={beta} mmr={pen}", positional(beta=beta, pen=pen))
    for beta in ((0.5, 1.0, 2.0) if not q else (1.0,)):
        for lead_w in ((0.5, 2.0) if not q else (2.0,)):
            bench.run("POS+FREQ", f"beta={beta} lead={lead_w}", positional(beta=beta, lead_w=lead_w))
    for g in ((1.0, 2.0, 4.0, 8.0) if not q else (2.0,)):
        for c0 in ((0.0, 0.2, 0.3) if not q else (0.2,)):
            bench.run("ADAPT", f"g={g} c0={c0}", adaptive(g, c0))
    for rho in ((-1.0, -0.5, 0.5) if not q else (-0.5,)):
        for mu in ((0, 0.5, 1.0) if not q else (0.5,)):
            bench.run("LENPREF", f"rho={rho} mu={mu}", length_pref(rho, mu))

    print("\nBest per method (a setting meeting both bars if any; else the best BBC R-1 with CNN/DM >= Lead-3,"
          " and the best BBC R-1 overall):")
    for method in dict.fromkeys(r["method"] for r in bench.rows):
        rows = [r for r in bench.rows if r["method"] == method]
        both = [r for r in rows if r["both"]]
        cnn_ok = [r for r in rows if r["cnn_ok"]]
        if both:
            print("  both bars:       " + fmt(max(both, key=lambda r: r["bbc"][0])))
        if cnn_ok:
            print("  CNN>=Lead-3:     " + fmt(max(cnn_ok, key=lambda r: r["bbc"][0])))
        print("  best BBC R-1:    " + fmt(max(rows, key=lambda r: r["bbc"][0])))
    print("\nAny setting meeting both bars: %s" % ("yes" if any(r["both"] for r in bench.rows) else "no"))
    per_story_switch(bench)


def per_story_switch(bench):
    """How far a perfect per-story choice between positional and FREQ would go, and whether
    anything in the story predicts which of the two wins (Spearman correlation of story features
    with FREQ's R-1 minus positional's)."""
    from scipy.stats import spearmanr
    pos, fr = positional(), freq()
    print("\nPer-story choice between positional and FREQ (mu=0), by R-1:")
    for d, stories in bench.stories.items():
        a = np.array([bench.score(d, k, tuple(sorted(int(i) for i in pos(s))[:K])) for k, s in enumerate(stories)])
        b = np.array([bench.score(d, k, tuple(sorted(int(i) for i in fr(s))[:K])) for k, s in enumerate(stories)])
        delta = b[:, 0] - a[:, 0]
        oracle = np.where((delta > 0)[:, None], b, a).mean(axis=0)
        print("  %-6s positional %s, FREQ %s, best of the two per story %s; FREQ better on %.0f%% of stories"
              % (d, " / ".join("%.2f" % v for v in a.mean(axis=0)), " / ".join("%.2f" % v for v in b.mean(axis=0)),
                 " / ".join("%.2f" % v for v in oracle), 100 * (delta > 0).mean()))
        features = {
            "words": [s.nwords.sum() for s in stories],
            "sentences": [s.n for s in stories],
            "median sentence words": [np.median(s.nwords) for s in stories],
            "sentence length spread (sd/mean)": [s.nwords.std() / max(s.nwords.mean(), 1) for s in stories],
            "lead concentration": [lead_concentration(s) if s.n > K else 0.0 for s in stories],
            "FREQ rank of sentence 1 / sentences": [float((s.freq_scores() > s.freq_scores()[0]).sum()) / s.n for s in stories],
        }
        for name, values in features.items():
            print("      %-36s median %8.3f   Spearman with FREQ-minus-positional R-1 %+.3f"
                  % (name, float(np.median(values)), spearmanr(values, delta).correlation))


if __name__ == "__main__":
    main()
