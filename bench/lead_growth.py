#!/usr/bin/env python3
"""Grows the stored lead data of a benchmark database to a target number of leads by copying
the rows a first push run wrote (bench/lead_growth.sh): every table that grew during that run
is copied `k` times with its ids, its references to other copied tables and its unique text
columns made distinct per copy; the other columns keep their values. A copy is exactly what a
pushed lead leaves behind (lead, trace, dedup keys, CRM lead, auto-login link, conversion), so
the indexes grow as they would under real intake.

Usage:
  lead_growth.py counts <sqlite|postgres> <where>          table row counts, as JSON
  lead_growth.py grow <sqlite|postgres> <where> <before.json> <after.json> <target leads>
<where>: the SQLite file, or the PostgreSQL database name (psql on 127.0.0.1, user postgres).
"""
import json
import sqlite3
import subprocess
import sys
import time


class Db:
    def __init__(self, backend, where):
        self.backend, self.where = backend, where
        if backend == "sqlite":
            self.conn = sqlite3.connect(where, isolation_level=None, timeout=60)

    def rows(self, sql):
        if self.backend == "sqlite":
            return [tuple(r) for r in self.conn.execute(sql)]
        out = subprocess.run(
            ["psql", "-qAtX", "-F", "\t", "-h", "127.0.0.1", "-U", "postgres", "-d", self.where,
             "-v", "ON_ERROR_STOP=1", "-c", sql],
            check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("\t")) for line in out.splitlines() if line]

    def run(self, sql):
        if self.backend == "sqlite":
            self.conn.executescript(sql)
        else:
            self.rows(sql)

    def tables(self):
        if self.backend == "sqlite":
            q = "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'"
        else:
            q = "SELECT tablename FROM pg_tables WHERE schemaname='public'"
        return sorted(r[0] for r in self.rows(q))

    def columns(self, table):
        """(name, is_text) of every column, in order."""
        if self.backend == "sqlite":
            return [(r[1], "CHAR" in r[2].upper() or "TEXT" in r[2].upper())
                    for r in self.rows(f"PRAGMA table_info({table})")]
        q = ("SELECT column_name, data_type IN ('text','character varying','character') "
             f"FROM information_schema.columns WHERE table_name='{table}' AND table_schema='public' "
             "ORDER BY ordinal_position")
        return [(r[0], r[1] == "t") for r in self.rows(q)]

    def references(self, table):
        """{column: referenced table}."""
        if self.backend == "sqlite":
            return {r[3]: r[2] for r in self.rows(f"PRAGMA foreign_key_list({table})")}
        q = ("SELECT kcu.column_name, ccu.table_name FROM information_schema.table_constraints tc "
             "JOIN information_schema.key_column_usage kcu ON tc.constraint_name = kcu.constraint_name "
             "JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name "
             f"WHERE tc.constraint_type='FOREIGN KEY' AND tc.table_name='{table}'")
        return {r[0]: r[1] for r in self.rows(q)}

    def unique_columns(self, table):
        """Columns that are part of a unique index or the primary key."""
        cols = set()
        if self.backend == "sqlite":
            for idx in self.rows(f"PRAGMA index_list({table})"):
                if idx[2]:
                    cols |= {r[2] for r in self.rows(f"PRAGMA index_info('{idx[1]}')")}
            cols |= {r[1] for r in self.rows(f"PRAGMA table_info({table})") if r[5]}
            return cols
        q = ("SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
             f"AND a.attnum = ANY(i.indkey) WHERE i.indrelid = '{table}'::regclass AND i.indisunique")
        return {r[0] for r in self.rows(q)}


def counts(db):
    return {t: int(db.rows(f"SELECT count(*) FROM {t}")[0][0]) for t in db.tables()}


def hex8(backend, k):
    if backend == "sqlite":
        return f"printf('%08x', {k})"
    return f"lpad(to_hex({k}), 8, '0')"


def grow(db, before, after, target):
    grown = [t for t in after if after[t] > before.get(t, 0)]
    # Only the lead data: the leads and what refers to them (not jobs, sessions or the audit).
    refs_of = {t: db.references(t) for t in grown}
    keep = {"leads"}
    while True:
        more = {t for t in grown if t not in keep and set(refs_of[t].values()) & keep}
        if not more:
            break
        keep |= more
    grown = [t for t in grown if t in keep]
    base_leads = after["leads"] - before.get("leads", 0)
    stored = int(db.rows("SELECT count(*) FROM leads")[0][0])
    copies = max(0, -(-(target - stored) // base_leads))
    print(f"grow: {stored} leads stored, {base_leads} per copy, {copies} copies of {grown}", flush=True)
    if copies == 0:
        return
    # Parents before the tables referring to them (foreign keys are checked on PostgreSQL).
    order = []
    while len(order) < len(grown):
        for t in grown:
            if t not in order and all(r == t or r not in grown or r in order
                                      for r in refs_of[t].values()):
                order.append(t)
    grown = order
    # Each copied table's ids of the first run (the rows ranked after those stored before it;
    # copies and later runs have larger ids), and the span a copy shifts ids by.
    span, run = {}, {}
    for t in grown:
        if "id" in [c for c, _ in db.columns(t)]:
            nth = lambda i: int(db.rows(f"SELECT id FROM {t} ORDER BY id LIMIT 1 OFFSET {i}")[0][0])
            run[t] = (nth(before.get(t, 0)), nth(after[t] - 1))
            span[t] = int(db.rows(f"SELECT max(id) FROM {t}")[0][0]) + 1
    # Unique text columns get a per-copy prefix; copies of a later call get other prefixes.
    epoch = stored
    numbers = ("WITH RECURSIVE n(k) AS (SELECT {a} UNION ALL SELECT k + 1 FROM n WHERE k < {b}) "
               if db.backend == "sqlite" else "")
    chunk = 5
    for a in range(1, copies + 1, chunk):
        b = min(copies, a + chunk - 1)
        started = time.time()
        for t in grown:
            refs, uniq = db.references(t), db.unique_columns(t)
            names, exprs = [], []
            for c, is_text in db.columns(t):
                names.append(c)
                if c == "id" and t in span:
                    exprs.append(f"t.id + n.k * {span[t]}")
                elif refs.get(c) in span:
                    exprs.append(f"t.{c} + n.k * {span[refs[c]]}")
                elif c in uniq and is_text:
                    exprs.append(f"{hex8(db.backend, f'n.k + {epoch}')} || substr(t.{c}, 9)")
                else:
                    exprs.append(f"t.{c}")
            if t in run:
                where = f"t.id BETWEEN {run[t][0]} AND {run[t][1]}"
            else:
                # no id: the rows of the run are those referring to a lead of the run
                ref = next(c for c, r in refs.items() if r == "leads")
                where = f"t.{ref} BETWEEN {run['leads'][0]} AND {run['leads'][1]}"
            series = (f"{numbers.format(a=a, b=b)}" if db.backend == "sqlite" else "")
            source = "n" if db.backend == "sqlite" else f"generate_series({a}, {b}) AS n(k)"
            db.run(f"{series}INSERT INTO {t} ({', '.join(names)}) "
                   f"SELECT {', '.join(exprs)} FROM {t} AS t CROSS JOIN {source} WHERE {where}")
        print(f"grow: copies {a}-{b} of {copies} in {time.time() - started:.1f} s", flush=True)
    if db.backend == "postgres":
        for t in span:
            db.run(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT max(id) FROM {t}))")
        # What autovacuum would have done over the hours these rows took to arrive (hint bits,
        # visibility map, statistics), and the bulk copy's dirty pages written out, so the
        # push after it does not pay for the copy.
        for t in grown:
            db.run(f"VACUUM (ANALYZE) {t}")
        db.run("CHECKPOINT")
    else:
        db.run("ANALYZE")
    print(f"grow: {db.rows('SELECT count(*) FROM leads')[0][0]} leads stored", flush=True)


def main():
    cmd, backend, where = sys.argv[1:4]
    db = Db(backend, where)
    if cmd == "counts":
        print(json.dumps(counts(db)))
    elif cmd == "grow":
        before = json.load(open(sys.argv[4]))
        after = json.load(open(sys.argv[5]))
        grow(db, before, after, int(sys.argv[6]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
