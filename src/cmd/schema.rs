//! `communique schema [KIND] [--out DIR]`: prints the JSON Schema of KIND, or writes
//! schemas to DIR as `KIND.schema.json` for editors to read (docs/editors.md).

use std::process::ExitCode;

use anyhow::Context as _;
use communique::schema::{Kind, schema};

use crate::cli::SchemaArgs;

pub fn run(args: SchemaArgs) -> anyhow::Result<ExitCode> {
    let Some(dir) = args.out else {
        let kind = args.kind.context("name a schema: report, translation, page, site, people or cities")?;
        println!("{}", pretty(kind));
        return Ok(ExitCode::SUCCESS);
    };
    let kinds = args.kind.map_or(Kind::ALL.to_vec(), |kind| vec![kind]);
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for kind in kinds {
        let path = dir.join(kind.file_name());
        std::fs::write(&path, format!("{}\n", pretty(kind))).with_context(|| format!("writing {}", path.display()))?;
        println!("{}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The schema of `kind`, indented.
fn pretty(kind: Kind) -> String {
    serde_json::to_string_pretty(&schema(kind)).expect("a JSON value always serialises")
}
