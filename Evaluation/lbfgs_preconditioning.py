#!/usr/bin/env python3
"""Would a diagonal preconditioner cut lapis's L-BFGS iterations? (issue 19; Reuters *train* only)

A NumPy copy of lapis's optimiser on lapis's objective (LogisticRegression.swift / LBFGS.swift:
½‖w‖² + C Σ cᵢ log(1 + exp(−yᵢ(w·xᵢ + b))), balanced class weights cᵢ, unregularised bias; m = 10
pairs, Armijo backtracking by halves from step 1, first step along the unit steepest descent,
stop at ‖∇f‖ ≤ 1e-4·max(1, ‖w‖) or a relative decrease ≤ 1e-8), run on scikit-learn's TF-IDF of
train.jsonl (sublinear tf, min_df 2; close to, not the same as, lapis's matrix), with C = 10, for
every sixth of the 90 topics. Each label is fitted twice: as lapis does (initial inverse Hessian
γI, γ = sᵀy/yᵀy), and with a diagonal one, γ·M with M = 1/diag(I + C XᵀDX) at w = 0 (D = cᵢ/4)
and γ = sᵀy/yᵀMy. Prints iterations and objective evaluations per label and in total.

Usage (from the repository root): "$(bash Evaluation/pyenv.sh)" Evaluation/lbfgs_preconditioning.py
"""
import json
import os
import sys

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "../shared/data/reuters21578/train.jsonl")
C = 10.0


def minimise(objective, start, preconditioner=None, memory=10, tolerance=1e-4, max_iterations=300):
    x = start.copy()
    value, gradient = objective(x)
    steps, changes = [], []
    iterations, evaluations = 0, 1
    while iterations < max_iterations:
        if np.linalg.norm(gradient) <= tolerance * max(1, np.linalg.norm(x)):
            break
        q = gradient.copy()
        alphas = []
        for s, y in reversed(list(zip(steps, changes))):
            alpha = s @ q / (y @ s)
            alphas.append(alpha)
            q -= alpha * y
        if steps:
            s, y = steps[-1], changes[-1]
            if preconditioner is None:
                q *= (s @ y) / (y @ y)
            else:
                q = preconditioner * q * ((s @ y) / (y @ (preconditioner * y)))
        else:
            q = q if preconditioner is None else preconditioner * q
            q = q / np.linalg.norm(q)
        for (s, y), alpha in zip(zip(steps, changes), reversed(alphas)):
            beta = y @ q / (y @ s)
            q += (alpha - beta) * s
        direction = -q
        slope = gradient @ direction
        step = 1.0
        while True:
            trial = x + step * direction
            trial_value, trial_gradient = objective(trial)
            evaluations += 1
            if trial_value <= value + 1e-4 * step * slope:
                break
            step *= 0.5
        s, y = trial - x, trial_gradient - gradient
        if s @ y > 1e-12:
            steps.append(s)
            changes.append(y)
            if len(steps) > memory:
                steps.pop(0)
                changes.pop(0)
        decrease = value - trial_value
        x, value, gradient = trial, trial_value, trial_gradient
        iterations += 1
        if decrease <= 1e-8 * max(1, abs(value)):
            break
    return iterations, evaluations


def main():
    if not os.path.exists(DATA):
        print(f"lbfgs_preconditioning: {DATA} is absent (../shared/data); nothing to measure")
        return
    rows = [json.loads(line) for line in open(DATA, encoding="utf-8") if line.strip()]
    matrix = TfidfVectorizer(sublinear_tf=True, min_df=2).fit_transform(
        [(r.get("title") or "") + "\n" + r["text"] for r in rows]).tocsr().astype(np.float64)
    squared = matrix.multiply(matrix).tocsc()
    n, d = matrix.shape
    labels = sorted({t for r in rows for t in r["topics"]})
    totals = np.zeros(4, dtype=int)
    for label in labels[::6]:
        positive = np.array([label in r["topics"] for r in rows])
        weights = np.where(positive, n / (2 * positive.sum()), n / (2 * (n - positive.sum())))
        signs = np.where(positive, 1.0, -1.0)

        def objective(point):
            w, b = point[:d], point[d]
            z = signs * (matrix @ w + b)
            loss = np.where(z > 0, np.log1p(np.exp(-z)), -z + np.log1p(np.exp(z)))
            slope = -C * weights * signs / (1 + np.exp(z))
            gradient = np.empty(d + 1)
            gradient[:d] = w + matrix.T @ slope
            gradient[d] = slope.sum()
            return 0.5 * w @ w + C * (weights * loss).sum(), gradient

        diagonal = np.empty(d + 1)
        diagonal[:d] = 1 + C * 0.25 * (squared.T @ weights)
        diagonal[d] = 1 + C * 0.25 * weights.sum()
        plain = minimise(objective, np.zeros(d + 1))
        scaled = minimise(objective, np.zeros(d + 1), preconditioner=1 / diagonal)
        totals += np.array(plain + scaled)
        print(f"{label:12} positives {positive.sum():5}  plain {plain[0]:4} iterations {plain[1]:4} evaluations  "
              f"diagonal {scaled[0]:4} iterations {scaled[1]:4} evaluations", flush=True)
    print(f"total: plain {totals[0]} iterations, {totals[1]} evaluations; diagonal {totals[2]} iterations, "
          f"{totals[3]} evaluations ({totals[3] / totals[1]:.2f}×)")


if __name__ == "__main__":
    sys.exit(main())
