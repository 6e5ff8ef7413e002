#!/usr/bin/env python3
"""Writes cases-programmes.json: the OpenFisca-Japan test cases (inputs and
expected outputs, as data) for the programmes added in issue 11, in the
format of cases.json (see README.md of ../shared/conformance/openfisca-japan).

cases.json holds the 381 cases of the first extraction. This file adds, from
the same commit:
  - the rest of the two generated files (特別児童扶養手当, 障害児福祉手当,
    障害児童育成手当: 54 cases each),
  - the hand-written files of those programmes and of 母子加算,
    高等学校奨学給付金 and 高等学校等就学支援金.

Usage (needs PyYAML and a checkout of OpenFisca-Japan at the commit):
  python3 extract_programmes.py /path/to/OpenFisca-Japan > cases-programmes.json
It reads only the test YAML and the CSV patterns; no code of that project is
copied (the project is AGPL-3.0; see NOTICE).
"""
import csv
import datetime
import json
import os
import sys

import yaml

COMMIT = "6405b773d4dcb719365265a1a4554e84fecadf85"

# file (relative to openfisca_japan/tests) -> tag, or None for the generated
# files whose tag comes from the output variable.
FILES = [
    ("generated/子育て支援制度テスト 2000-05-01.yml", None),
    ("generated/子育て支援制度テスト 2024-11-01.yml", None),
    ("福祉/育児/特別児童扶養手当.yaml", "特別児童扶養手当"),
    ("福祉/育児/障害児福祉手当.yaml", "障害児福祉手当"),
    ("東京都/福祉/障害児童育成手当.yaml", "障害児童育成手当"),
    ("福祉/生活保護/母子加算.yaml", "母子加算"),
    ("福祉/高等学校奨学給付金/公立高等学校奨学給付金.yaml", "高等学校奨学給付金"),
    ("福祉/高等学校奨学給付金/国立高等学校奨学給付金.yaml", "高等学校奨学給付金"),
    ("福祉/高等学校奨学給付金/私立高等学校奨学給付金.yaml", "高等学校奨学給付金"),
    ("福祉/高等学校等就学支援金/高等学校等就学支援金.yaml", "高等学校等就学支援金"),
]

# Tags of the generated cases taken here (the others are in cases.json).
GENERATED_TAGS = {"特別児童扶養手当", "障害児福祉手当", "障害児童育成手当"}


def iso(v):
    """Dates (and date keys) as ISO strings, recursively."""
    if isinstance(v, (datetime.date, datetime.datetime)):
        return v.isoformat()[:10]
    if isinstance(v, dict):
        return {iso(k) if isinstance(k, (datetime.date, datetime.datetime)) else k: iso(x) for k, x in v.items()}
    if isinstance(v, list):
        return [iso(x) for x in v]
    return v


def variables(out):
    names = []
    for k, v in out.items():
        if k in ("世帯", "世帯一覧", "世帯員"):
            groups = v.values() if k in ("世帯一覧", "世帯員") else [v]
            for g in groups:
                for n in g:
                    if n not in names:
                        names.append(n)
        elif k not in names:
            names.append(k)
    return names


def tag_of(names):
    for n in names:
        base = n.replace("_最大", "").replace("_最小", "")
        if base in GENERATED_TAGS:
            return base
    return None


def csv_rows(root, name):
    path = os.path.join(root, "tools/make_tests/テストパターン", name)
    with open(path, encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    out = {}
    for r in rows[1:]:
        d = dict(zip(header, r))
        out[d["テストID"]] = d
    return out


def pattern_row(d):
    people = {k: v for k, v in d.items() if "_" in k and v and (k.startswith("親") or k.startswith("第"))}
    row = {"対象支援制度": d["対象支援制度"], "控除後世帯高所得": d["控除後世帯高所得"],
           "支給額（一意に決まる額 or 最大額）": d["支給額（一意に決まる額 or 最大額）"], "people": people}
    if d.get("支給額（最小額 or 一意に決まる場合は空欄）"):
        row["支給額（最小額 or 一意に決まる場合は空欄）"] = d["支給額（最小額 or 一意に決まる場合は空欄）"]
    return row


def main(root):
    tests = os.path.join(root, "openfisca_japan/tests")
    cases, counts = [], {}
    for rel, tag in FILES:
        with open(os.path.join(tests, rel), encoding="utf-8") as f:
            doc = yaml.safe_load(f)
        csvname = None
        if rel.startswith("generated/"):
            csvname = rel.replace("generated/子育て支援制度テスト ", "子育て支援制度 ").replace(".yml", ".csv")
            rows = csv_rows(root, csvname)
        taken = 0
        for i, c in enumerate(doc):
            c = iso(c)
            names = variables(c.get("output", {}))
            t = tag if tag else tag_of(names)
            if t is None:
                continue
            case = {
                "id": rel + "#" + str(i),
                "file": "openfisca_japan/tests/" + rel,
                "index_in_file": i,
                "name": c.get("name", ""),
                "period": str(c["period"])[:10],
                "programs": [t],
                "output_variables": names,
                "input": c.get("input", {}),
                "output": c.get("output", {}),
            }
            if "absolute_error_margin" in c:
                case["absolute_error_margin"] = c["absolute_error_margin"]
            if csvname:
                tid = c["name"].split("=", 1)[1]
                case["csv_pattern_row"] = pattern_row(rows[tid])
                case["csv_pattern_file"] = "tools/make_tests/テストパターン/" + csvname
            cases.append(case)
            taken += 1
        counts[rel] = {"cases_in_file": len(doc), "cases_extracted": taken}
    out = {
        "source": {
            "repository": "https://github.com/project-inclusive/OpenFisca-Japan",
            "commit": COMMIT,
            "version": "2.1.2 (setup.py)",
            "license": "AGPL-3.0 (repository LICENSE); these are test facts (inputs/expected outputs) transcribed, not code",
            "extracted_with": "extract_programmes.py: PyYAML safe_load of the files at that commit; dates normalised to ISO strings",
        },
        "counts_by_file": counts,
        "cases": cases,
    }
    json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
