//! The web crate's modules point one way (issue 13): a module may use the ones below it, never
//! one that uses it back. An import is any `crate::name` in a module's files outside
//! `#[cfg(test)]`; a module is a top-level file or folder of `src/`. When this fails it prints
//! the knot and every module's imports, so the fix is to move the shared piece down a layer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn collect(dir: &Path, root: &Path, imports: &mut BTreeMap<String, BTreeSet<String>>) {
    for entry in std::fs::read_dir(dir).expect("src folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(&path, root, imports);
            continue;
        }
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let relative = path.strip_prefix(root).expect("inside src");
        let first = relative.components().next().expect("a name").as_os_str().to_string_lossy().into_owned();
        let module = first.trim_end_matches(".rs").to_owned();
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source");
        let code = text.split("#[cfg(test)]").next().unwrap_or_default();
        let used = imports.entry(module.clone()).or_default();
        for (at, _) in code.match_indices("crate::") {
            let name: String = code[at + "crate::".len()..]
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                .collect();
            if !name.is_empty() && name != module {
                used.insert(name);
            }
        }
    }
}

/// The modules that can reach themselves again through the imports.
fn in_cycles(imports: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    let reaches = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo: Vec<&str> = imports.get(from).map(|s| s.iter().map(String::as_str).collect()).unwrap_or_default();
        while let Some(next) = todo.pop() {
            if seen.insert(next.to_owned()) {
                todo.extend(imports.get(next).into_iter().flatten().map(String::as_str));
            }
        }
        seen
    };
    imports.keys().filter(|m| reaches(m).contains(*m)).cloned().collect()
}

#[test]
fn the_web_crate_modules_import_one_way_with_no_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut imports = BTreeMap::new();
    collect(&src, &src, &mut imports);
    assert!(imports.len() > 10 && imports.contains_key("state"), "the crate's modules were read: {imports:?}");
    let knot = in_cycles(&imports);
    let graph: Vec<String> = imports.iter().map(|(m, used)| format!("  {m} -> {used:?}")).collect();
    assert!(knot.is_empty(), "modules in an import cycle: {knot:?}\n{}", graph.join("\n"));
}

#[test]
fn the_cycle_check_finds_a_knot_when_there_is_one() {
    let mut imports = BTreeMap::new();
    imports.insert("state".to_owned(), BTreeSet::from(["site".to_owned()]));
    imports.insert("site".to_owned(), BTreeSet::from(["error".to_owned()]));
    imports.insert("error".to_owned(), BTreeSet::from(["state".to_owned()]));
    imports.insert("views".to_owned(), BTreeSet::new());
    assert_eq!(in_cycles(&imports), BTreeSet::from(["state".to_owned(), "site".to_owned(), "error".to_owned()]));
}
