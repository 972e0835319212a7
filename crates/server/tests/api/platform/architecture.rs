//! The dependency rules of ARCHITECTURE.md, read from the source of `core`, `store/repo`, `app`
//! `http/crm` and `web`: a context imports only contexts below it, and no module cycle in a crate.

mod graph;

use std::collections::BTreeMap;
use std::path::Path;

use graph::{Crate, Graph, SourceFile};

/// The contexts, bottom first: each may import only those before it. Trading sits above money:
/// positions post ledger transfers and read wallets (trading groups are money's, the wallet's
/// account type). Onboarding sits below money, whose deposits and withdrawals it gates; messaging
/// above partners. Market data sits on top:
/// it reads the customer record and KYC (identity) and nothing depends on it.
const ORDER: [&str; 10] = [
    "platform",
    "identity",
    "onboarding",
    "money",
    "trading",
    "distribution",
    "sales",
    "partners",
    "messaging",
    "market_data",
];

/// The scanned layers: crate name, folder (from `crates/`), module path of that folder.
const LAYERS: [(&str, &str, &[&str]); 5] = [
    ("brokercrm_core", "core/src", &[]),
    ("brokercrm_store", "store/src/repo", &["repo"]),
    ("brokercrm_app", "app/src", &[]),
    ("brokercrm_http", "http/src/crm", &["crm"]),
    ("brokercrm_web", "web/src", &[]),
];

/// Modules of the app that wire the contexts together (they may import any context and are
/// left out of the cycle check): the crate root, `config`, `context` (`App`), `demo` and
/// `workers` (every context's jobs).
const COMPOSITION_ROOT: [&str; 4] = ["config", "context", "demo", "workers"];

fn layer_prefix(krate: &str) -> &'static [&'static str] {
    LAYERS.iter().find(|l| l.0 == krate).map_or(&[], |l| l.2)
}

/// The context an absolute module path (crate name first) belongs to.
fn context_of(path: &[String]) -> Option<&'static str> {
    let krate = path.first()?;
    let inner = path.get(1 + layer_prefix(krate).len())?;
    ORDER.iter().copied().find(|c| c == inner)
}

fn rank(context: &str) -> usize {
    ORDER.iter().position(|c| *c == context).unwrap_or(0)
}

/// A file's absolute module path.
fn module_of(krate: &Crate, file: &SourceFile) -> Vec<String> {
    std::iter::once(krate.name.to_string()).chain(file.module.iter().cloned()).collect()
}

fn is_composition_root(krate: &Crate, file: &SourceFile) -> bool {
    let prefix = layer_prefix(krate.name);
    file.module.len() == prefix.len()
        || (krate.name == "brokercrm_app" && COMPOSITION_ROOT.contains(&file.module[0].as_str()))
}

/// Every breach of the rules in `crates`, one line each, naming file and line.
fn violations(crates: &[Crate]) -> Vec<String> {
    let g = graph::build(crates);
    let mut out = against_direction(crates, &g);
    out.extend(cycles(crates, &g));
    out
}

/// Imports of a context above the importer (the target context read from the path as written).
fn against_direction(crates: &[Crate], g: &Graph) -> Vec<String> {
    let mut out = Vec::new();
    for r in &g.refs {
        let (k, file) = g.files[r.file];
        let Some(from) = context_of(&module_of(&crates[k], file)) else { continue };
        // The path as written: what a crate root re-exports (`brokercrm_core::Money`,
        // `crate::Principal`) is that crate's shared kernel, usable by every context.
        let to = context_of(&r.path);
        match to {
            Some(to) if rank(to) > rank(from) => out.push(format!(
                "{}:{}: {from} imports {to} ({}), which is above it",
                file.shown,
                r.line,
                r.path.join("::")
            )),
            _ => {}
        }
    }
    out
}

/// Module cycles inside each crate: every strongly connected set of files, with its edges.
fn cycles(crates: &[Crate], g: &Graph) -> Vec<String> {
    let mut edges: BTreeMap<usize, BTreeMap<usize, usize>> = BTreeMap::new();
    for r in g.refs.iter().filter(|r| !r.module_only) {
        let (k, file) = g.files[r.file];
        let Some(t) = r.target.filter(|t| *t != r.file && g.files[*t].0 == k) else { continue };
        if !is_composition_root(&crates[k], file) {
            edges.entry(r.file).or_default().entry(t).or_insert(r.line);
        }
    }
    let mut out = Vec::new();
    for component in strongly_connected(g.files.len(), &edges) {
        let mut lines = vec!["module cycle:".to_string()];
        for from in &component {
            for (to, line) in &edges[from] {
                if component.contains(to) {
                    let (shown, target) = (&g.files[*from].1.shown, &g.files[*to].1.shown);
                    lines.push(format!("  {shown}:{line} imports {target}"));
                }
            }
        }
        out.push(lines.join("\n"));
    }
    out
}

/// Tarjan's algorithm: the components of more than one node.
fn strongly_connected(
    n: usize,
    edges: &BTreeMap<usize, BTreeMap<usize, usize>>,
) -> Vec<Vec<usize>> {
    struct State<'a> {
        edges: &'a BTreeMap<usize, BTreeMap<usize, usize>>,
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        stack: Vec<usize>,
        on_stack: Vec<bool>,
        next: usize,
        found: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        let targets: Vec<usize> =
            s.edges.get(&v).map(|e| e.keys().copied().collect()).unwrap_or_default();
        for w in targets {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(i) if s.on_stack[w] => s.low[v] = s.low[v].min(i),
                Some(_) => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack[w] = false;
                component.push(w);
                if w == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort_unstable();
                s.found.push(component);
            }
        }
    }
    let mut s = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        stack: Vec::new(),
        on_stack: vec![false; n],
        next: 0,
        found: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.found
}

/// Every `.rs` file under `dir`, with its module path below `prefix`.
fn read_tree(dir: &Path, shown: &str, prefix: &[&str], files: &mut Vec<SourceFile>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let shown = format!("{shown}/{name}");
        if path.is_dir() {
            let mut inner = prefix.to_vec();
            inner.push(&name);
            read_tree(&path, &shown, &inner, files);
        } else if let Some(stem) = name.strip_suffix(".rs") {
            let mut module: Vec<String> = prefix.iter().map(|s| s.to_string()).collect();
            if !matches!(stem, "mod" | "lib") {
                module.push(stem.to_string());
            }
            let text = std::fs::read_to_string(&path).unwrap();
            files.push(SourceFile { module, shown, text });
        }
    }
}

#[test]
fn contexts_depend_one_way_and_modules_have_no_cycles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let crates: Vec<Crate> = LAYERS
        .iter()
        .map(|(name, dir, prefix)| {
            let mut files = Vec::new();
            read_tree(&root.join(dir), &format!("crates/{dir}"), prefix, &mut files);
            assert!(files.len() > 5, "no sources read under crates/{dir}");
            Crate { name, files }
        })
        .collect();
    let found = violations(&crates);
    assert!(
        found.is_empty(),
        "{} breaches of the dependency rules:\n{}",
        found.len(),
        found.join("\n")
    );
}

/// A fake crate from (path below src, text) pairs.
fn fake(name: &'static str, files: &[(&str, &str)]) -> Crate {
    let files = files
        .iter()
        .map(|(path, text)| {
            let stem = path.trim_end_matches(".rs").trim_end_matches("/mod");
            let module = stem.split('/').filter(|s| !s.is_empty() && *s != "lib");
            let module = module.map(str::to_string).collect();
            SourceFile { module, shown: path.to_string(), text: text.to_string() }
        })
        .collect();
    Crate { name, files }
}

#[test]
fn the_check_catches_an_upward_import_and_a_cycle() {
    let clean = [
        ("lib.rs", "pub mod money;\npub mod sales;\npub mod context;"),
        ("context.rs", "use crate::sales::leads::Lead;\npub struct App;"),
        ("money/mod.rs", "//! m\npub mod wallets;\npub use wallets::Wallet;"),
        ("money/wallets.rs", "use crate::context::App;\npub struct Wallet; // crate::sales::x"),
        ("sales/mod.rs", "pub mod leads;\npub mod view;"),
        ("sales/leads.rs", "use super::super::money::{self, Wallet as W};\npub struct Lead;"),
        ("sales/view.rs", "use super::leads::Lead;\nfn f() { let s = \"super::leads\"; }"),
    ];
    let core = fake("brokercrm_core", &[("lib.rs", "pub mod money;"), ("money/mod.rs", "")]);
    assert_eq!(violations(&[fake("brokercrm_app", &clean), core]), Vec::<String>::new());

    let mut bad = clean.to_vec();
    bad[3].1 =
        "use crate::context::App;\npub struct Wallet;\nfn f() { super::super::sales::leads::g() }";
    bad[6].1 = "pub struct View;\n\nfn f() { let _ = brokercrm_app::sales::leads::Lead; }";
    bad[5].1 = "use super::{self as sales, view::View};\npub struct Lead;";
    let found = violations(&[fake("brokercrm_app", &bad)]);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert_eq!(
        found[0],
        "money/wallets.rs:3: money imports sales (brokercrm_app::sales::leads::g), which is above it"
    );
    assert_eq!(
        found[1],
        "module cycle:\n  sales/leads.rs:1 imports sales/view.rs\n  sales/view.rs:3 imports sales/leads.rs"
    );
}
