//! Reads Rust source into a module graph: every `use` tree and every path that names a module
//! of the scanned crates, made absolute (`crate::`, `super::` chains, `self::`, aliases) and
//! resolved through re-exports to the file that defines the item.

use std::collections::{BTreeMap, BTreeSet};

/// One source file: its module path inside its crate (`["money", "wallets", "admin"]`), the
/// name shown in failures, and its text.
pub struct SourceFile {
    pub module: Vec<String>,
    pub shown: String,
    pub text: String,
}

/// The scanned files of one crate, named as other crates import it (`brokercrm_app`).
pub struct Crate {
    pub name: &'static str,
    pub files: Vec<SourceFile>,
}

/// A reference from a file to an absolute path (crate name first).
pub struct Reference {
    pub file: usize,
    pub line: usize,
    pub path: Vec<String>,
    /// The file that defines what the path names, when it is in the scanned tree.
    pub target: Option<usize>,
    /// The path names a module, not an item in it (`use crate::money::wallets;`).
    pub module_only: bool,
}

/// Every scanned file (crate index, file) and every reference between them.
pub struct Graph<'a> {
    pub files: Vec<(usize, &'a SourceFile)>,
    pub refs: Vec<Reference>,
}

#[derive(Clone, PartialEq, Debug)]
enum Tok {
    Ident(String),
    Sep,
    P(char),
}

struct Token {
    tok: Tok,
    line: usize,
}

/// Tokens of `text` without comments, string, character literals and lifetimes.
fn tokens(text: &str) -> Vec<Token> {
    let c: Vec<char> = text.chars().collect();
    let at = |i: usize| c.get(i).copied().unwrap_or('\0');
    let (mut i, mut line, mut out) = (0, 1, Vec::new());
    while i < c.len() {
        let ch = c[i];
        let start_line = line;
        if ch == '\n' {
            line += 1;
            i += 1;
        } else if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && at(i + 1) == '/' {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && at(i + 1) == '*' {
            let mut depth = 0;
            while i < c.len() {
                match (c[i], at(i + 1)) {
                    ('/', '*') => (depth, i) = (depth + 1, i + 2),
                    ('*', '/') => (depth, i) = (depth - 1, i + 2),
                    (ch, _) => (line, i) = (line + usize::from(ch == '\n'), i + 1),
                }
                if depth == 0 {
                    break;
                }
            }
        } else if let Some(open) = raw_string_start(&c, i) {
            let hashes = open - i - usize::from(ch == 'b') - 1;
            i = open + 1;
            while i < c.len() && !(c[i] == '"' && (1..=hashes).all(|h| at(i + h) == '#')) {
                line += usize::from(c[i] == '\n');
                i += 1;
            }
            i += hashes + 1;
        } else if ch == '"' || (ch == 'b' && at(i + 1) == '"') {
            i += if ch == 'b' { 2 } else { 1 };
            while i < c.len() && c[i] != '"' {
                line += usize::from(c[i] == '\n');
                i += if c[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
        } else if ch == '\'' || (ch == 'b' && at(i + 1) == '\'') {
            i += if ch == 'b' { 1 } else { 0 };
            if at(i + 1) == '\\' {
                i += 2;
                while i < c.len() && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if at(i + 2) == '\'' {
                i += 3;
            } else {
                i += 1;
                while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                    i += 1;
                }
            }
        } else if ch.is_alphanumeric() || ch == '_' {
            let s = i;
            while i < c.len() && (c[i].is_alphanumeric() || c[i] == '_') {
                i += 1;
            }
            out.push(Token { tok: Tok::Ident(c[s..i].iter().collect()), line });
        } else if ch == ':' && at(i + 1) == ':' {
            out.push(Token { tok: Tok::Sep, line });
            i += 2;
        } else {
            out.push(Token { tok: Tok::P(ch), line: start_line });
            i += 1;
        }
    }
    out
}

/// Where the opening quote of a raw string starting at `i` is (`r"`, `r#"`, `br##"` ...).
fn raw_string_start(c: &[char], i: usize) -> Option<usize> {
    let mut j = i + usize::from(c[i] == 'b');
    if c.get(j) != Some(&'r') {
        return None;
    }
    j += 1;
    while c.get(j) == Some(&'#') {
        j += 1;
    }
    (c.get(j) == Some(&'"')).then_some(j)
}

/// What one module scope (a file or an inline `mod x { }`) declares.
#[derive(Default)]
struct Scope {
    file: usize,
    items: BTreeSet<String>,
    /// `use` leaves: the name they bring in, and the path written (relative to the scope).
    uses: Vec<(String, Vec<String>, usize)>,
    globs: Vec<(Vec<String>, usize)>,
    /// Other paths written in code, with their line.
    paths: Vec<(Vec<String>, usize)>,
}

const ITEM_KEYWORDS: [&str; 9] =
    ["fn", "struct", "enum", "trait", "type", "const", "static", "union", "mod"];

fn ident(t: Option<&Token>) -> Option<&str> {
    match t.map(|t| &t.tok) {
        Some(Tok::Ident(s)) => Some(s),
        _ => None,
    }
}

/// Reads one file's scopes into `scopes`, keyed by absolute module path.
fn read_file(
    file: usize,
    module: Vec<String>,
    text: &str,
    scopes: &mut BTreeMap<Vec<String>, Scope>,
) {
    let toks = tokens(text);
    let mut stack: Vec<(Vec<String>, usize)> = vec![(module.clone(), 0)];
    scopes.entry(module).or_default().file = file;
    let (mut depth, mut i) = (0usize, 0usize);
    while i < toks.len() {
        let here = stack.last().map(|s| s.0.clone()).unwrap_or_default();
        match &toks[i].tok {
            Tok::P('{') => depth += 1,
            Tok::P('}') => {
                if stack.len() > 1 && stack.last().is_some_and(|s| s.1 == depth) {
                    stack.pop();
                }
                depth = depth.saturating_sub(1);
            }
            Tok::Ident(kw) if kw == "use" => {
                let end =
                    (i..toks.len()).find(|&j| toks[j].tok == Tok::P(';')).unwrap_or(toks.len());
                let mut leaves = Vec::new();
                let mut pos = i + 1;
                if toks.get(pos).map(|t| &t.tok) == Some(&Tok::Sep) {
                    pos += 1;
                }
                use_tree(&toks[..end], &mut pos, Vec::new(), &mut leaves);
                let scope = scopes.entry(here).or_default();
                scope.file = file;
                for (path, alias, line) in leaves {
                    match alias {
                        None => scope.globs.push((path, line)),
                        Some(a) => scope.uses.push((a, path, line)),
                    }
                }
                i = end;
            }
            Tok::Ident(kw) if ITEM_KEYWORDS.contains(&kw.as_str()) => {
                if let Some(name) = ident(toks.get(i + 1)) {
                    let scope = scopes.entry(here.clone()).or_default();
                    scope.items.insert(name.to_string());
                    if kw == "mod" && toks.get(i + 2).map(|t| &t.tok) == Some(&Tok::P('{')) {
                        let mut inner = here;
                        inner.push(name.to_string());
                        scopes.entry(inner.clone()).or_default().file = file;
                        stack.push((inner, depth + 1));
                    }
                    i += 1;
                }
            }
            Tok::Ident(first) if i == 0 || toks[i - 1].tok != Tok::Sep => {
                let mut path = vec![first.clone()];
                let mut j = i + 1;
                while toks.get(j).map(|t| &t.tok) == Some(&Tok::Sep) {
                    let Some(next) = ident(toks.get(j + 1)) else { break };
                    path.push(next.to_string());
                    j += 2;
                }
                if path.len() > 1 {
                    scopes.entry(here).or_default().paths.push((path, toks[i].line));
                }
                i = j - 1;
            }
            _ => {}
        }
        i += 1;
    }
}

/// Expands a `use` tree from `pos` into leaves: (full path, the name it binds or `None` for a
/// glob, line). `self` inside a group names the group's prefix.
fn use_tree(
    toks: &[Token],
    pos: &mut usize,
    mut prefix: Vec<String>,
    out: &mut Vec<(Vec<String>, Option<String>, usize)>,
) {
    let line = toks.get(*pos).map_or(0, |t| t.line);
    loop {
        match toks.get(*pos).map(|t| &t.tok) {
            Some(Tok::Ident(s)) if s == "as" => {
                let alias = ident(toks.get(*pos + 1)).unwrap_or("_").to_string();
                *pos += 2;
                out.push((prefix, Some(alias), line));
                return;
            }
            Some(Tok::Ident(s)) => {
                if s != "self" || prefix.is_empty() {
                    prefix.push(s.clone());
                }
                *pos += 1;
            }
            Some(Tok::Sep) => *pos += 1,
            Some(Tok::P('*')) => {
                *pos += 1;
                out.push((prefix, None, line));
                return;
            }
            Some(Tok::P('{')) => {
                *pos += 1;
                while !matches!(toks.get(*pos).map(|t| &t.tok), None | Some(Tok::P('}'))) {
                    use_tree(toks, pos, prefix.clone(), out);
                    if toks.get(*pos).map(|t| &t.tok) == Some(&Tok::P(',')) {
                        *pos += 1;
                    }
                }
                *pos += 1;
                return;
            }
            _ => {
                if let Some(last) = prefix.last().cloned() {
                    out.push((prefix, Some(last), line));
                }
                return;
            }
        }
    }
}

/// The scanned crates as one graph of references between files.
pub fn build(crates: &[Crate]) -> Graph<'_> {
    let mut files = Vec::new();
    let mut scopes = BTreeMap::new();
    for (k, krate) in crates.iter().enumerate() {
        for f in &krate.files {
            let mut module = vec![krate.name.to_string()];
            module.extend(f.module.iter().cloned());
            read_file(files.len(), module, &f.text, &mut scopes);
            files.push((k, f));
        }
    }
    let names: Vec<&str> = crates.iter().map(|c| c.name).collect();
    let r = Resolver { scopes: &scopes, crates: &names };
    let mut refs = Vec::new();
    for (module, scope) in &scopes {
        let written = scope.uses.iter().map(|(_, p, l)| (p, l));
        let written = written.chain(scope.globs.iter().map(|(p, l)| (p, l)));
        for (path, &line) in written.chain(scope.paths.iter().map(|(p, l)| (p, l))) {
            let Some(abs) = r.absolute(module, path, 0) else { continue };
            let module_only = scopes.contains_key(&abs);
            let target = r.resolve(&abs, 0);
            refs.push(Reference { file: scope.file, line, path: abs, target, module_only });
        }
    }
    Graph { files, refs }
}

struct Resolver<'a> {
    scopes: &'a BTreeMap<Vec<String>, Scope>,
    crates: &'a [&'a str],
}

impl Resolver<'_> {
    /// `path` as written in module `here`, made absolute; `None` when it leaves the scanned
    /// crates (std, other crates, local names).
    fn absolute(&self, here: &[String], path: &[String], depth: usize) -> Option<Vec<String>> {
        let first = path.first()?.as_str();
        match first {
            "crate" => {
                let mut abs = vec![here.first()?.clone()];
                abs.extend(path[1..].iter().cloned());
                Some(abs)
            }
            "self" | "super" => {
                let mut abs = here.to_vec();
                let supers = path.iter().take_while(|s| *s == "super").count();
                abs.truncate(abs.len().checked_sub(supers).filter(|n| *n > 0)?);
                abs.extend(path[supers.max(usize::from(first == "self"))..].iter().cloned());
                Some(abs)
            }
            c if self.crates.contains(&c) => Some(path.to_vec()),
            name => {
                let scope = self.scopes.get(here);
                let alias = scope.and_then(|s| s.uses.iter().find(|u| u.0 == name));
                if let Some((_, target, _)) = alias.filter(|u| depth < 4 && u.1 != [name]) {
                    let mut abs = self.absolute(here, target, depth + 1)?;
                    abs.extend(path[1..].iter().cloned());
                    return Some(abs);
                }
                let mut abs = here.to_vec();
                abs.extend(path.iter().cloned());
                self.scopes.contains_key(&abs[..=here.len()]).then_some(abs)
            }
        }
    }

    /// The file that defines what `path` names: the longest known module prefix, then through
    /// that module's re-exports (named, then globs).
    fn resolve(&self, path: &[String], depth: usize) -> Option<usize> {
        let k = (1..=path.len()).rev().find(|&k| self.scopes.contains_key(&path[..k]))?;
        let (module, scope) = (&path[..k], &self.scopes[&path[..k]]);
        let Some(name) = path.get(k) else { return Some(scope.file) };
        if scope.items.contains(name) || depth > 8 {
            return Some(scope.file);
        }
        let via = |target: &[String], rest: &[String]| {
            let mut next = self.absolute(module, target, 0)?;
            next.extend(rest.iter().cloned());
            self.resolve(&next, depth + 1)
        };
        if let Some((_, target, _)) = scope.uses.iter().find(|u| &u.0 == name) {
            return via(target, &path[k + 1..]).or(Some(scope.file));
        }
        let found = scope.globs.iter().find_map(|(g, _)| {
            let abs = self.absolute(module, g, 0)?;
            let defines = self
                .scopes
                .get(&abs)
                .is_some_and(|s| s.items.contains(name) || s.uses.iter().any(|u| &u.0 == name));
            if defines { via(g, &path[k..]) } else { None }
        });
        found.or(Some(scope.file))
    }
}
