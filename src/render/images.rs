//! The media stage: publishes every image the pages show and every file of a report's
//! folder, and says where each went ([`MediaIndex`], which the pages then link).
//!
//! Runs after resolve, for `build` and `serve` alike. Photos (JPEG, PNG, WebP) go out only
//! as WebP at the widths of `images.widths`, stripped of their metadata by
//! [`crate::media`] (press photos carry the GPS position they were taken at); SVG, GIF and
//! every other file of a report's folder go out as they are. Processed photos come from
//! the cache in `.communique-cache/` when the same file was processed with the same
//! settings, so a build where no photo changed decodes none. Files are handed to the sink
//! as each is made, so memory holds the photos being processed, not all of them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::media::{Cache, ImageSettings};
use crate::media::{ImageKind, image_kind};
use crate::model::images::{MediaIndex, PublishedFile, given_image_file, image_file};
use crate::model::{ReportId, Site};
use crate::output::{OutputFile, Sink};
use crate::project::{Project, sources};

/// The largest image file read (64 MiB): a press photo is a few megabytes; anything far
/// larger is a mistake that would cost the build its memory.
pub const MAX_IMAGE_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Where a page names an image: the page's source and the line and column of the name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ImageUse {
    pub source: String,
    pub line: usize,
    pub col: usize,
}

/// Every file the media stage publishes, by root-relative source path, with where pages
/// name it (none for a file that is only in a report's folder).
pub type MediaFiles = BTreeMap<String, BTreeSet<ImageUse>>;

/// Publishes every image and report-folder file of `site` to `sink`; the index of where
/// each went, and the problems (each at every place naming a file that failed).
pub fn publish(project: &Project, site: &Site, cache: &Cache, sink: &dyn Sink) -> (MediaIndex, Vec<Diagnostic>) {
    let (files, mut diags) = media_files(project, site);
    let settings = &site.config.images;
    let outputs = output_paths(site, &files);
    let published: Vec<(&String, Result<Vec<PublishedFile>, String>)> = files
        .par_iter()
        .map(|(file, _)| (file, publish_file(project, file, &outputs[file], settings, cache, sink)))
        .collect();
    let mut index = MediaIndex::default();
    for (file, result) in published {
        match result {
            Ok(published) => {
                if file.starts_with(&format!("{}/", sources::STATIC)) && image_kind(file) == Some(ImageKind::Processed)
                {
                    index.replaced.insert(outputs[file].clone());
                }
                index.images.insert(file.clone(), published);
            }
            Err(message) => {
                diags.extend(failure_diagnostics(file, &files[file], &message));
                index.failed.insert(file.clone());
            }
        }
    }
    (index, diags)
}

/// One error for each place naming `file`, or one naming the file itself when only its
/// report's folder holds it.
fn failure_diagnostics(file: &str, uses: &BTreeSet<ImageUse>, message: &str) -> Vec<Diagnostic> {
    if uses.is_empty() {
        return vec![Diagnostic::error(file, 0, 0, message.to_string())];
    }
    uses.iter().map(|u| Diagnostic::error(&u.source, u.line, u.col, format!("{file}: {message}"))).collect()
}

/// Every file to publish, with the places naming it; and the errors of names that lead
/// nowhere an image can be (outside the site, not an image).
pub fn media_files(project: &Project, site: &Site) -> (MediaFiles, Vec<Diagnostic>) {
    let mut files = MediaFiles::new();
    let mut diags = Vec::new();
    let mut name = |file: String, at: ImageUse| {
        files.entry(file).or_default().insert(at);
    };
    for report in &site.reports {
        for image in report.image.iter().chain(&report.gallery) {
            name(image.file.clone(), ImageUse { source: report.source.clone(), line: image.line, col: image.col });
        }
    }
    for (source, body, body_line) in bodies(site) {
        for found in super::markdown::body_images(body) {
            let at = ImageUse { source: source.clone(), line: body_line + found.line - 1, col: found.col };
            let error = |message: String| Diagnostic::error(&at.source, at.line, at.col, message);
            if found.alt.trim().is_empty() {
                diags.push(error(format!("the image \"{}\" has no alt text", found.src)).with_hint(
                    "say what the picture shows in the brackets, for readers who cannot see it: ![Delegations at the table](meeting.jpg)",
                ));
            }
            match image_file(source, &found.src) {
                Ok(file) => name(file, at),
                Err(message) => diags.push(error(message)),
            }
        }
    }
    for (file, at) in registry_photos(site).into_iter().chain(site_image(site)) {
        name(file, at);
    }
    for file in bundle_files(project, site, &mut diags) {
        files.entry(file).or_default();
    }
    (files, diags)
}

/// Every body of the site, in every language: its source, Markdown and first line.
fn bodies(site: &Site) -> impl Iterator<Item = (&String, &std::sync::Arc<str>, usize)> {
    let reports = site.reports.iter().flat_map(|r| {
        let translations = r.translations.iter().map(|t| (&t.source, &t.body, t.body_line));
        std::iter::once((&r.source, &r.body, r.body_line)).chain(translations)
    });
    let pages = site.pages.iter().flat_map(|p| {
        let translations = p.translations.iter().map(|t| (&t.source, &t.body, t.body_line));
        std::iter::once((&p.source, &p.body, p.body_line)).chain(translations)
    });
    reports.chain(pages)
}

/// The photos of people given as site paths (a web address is linked as it is).
fn registry_photos(site: &Site) -> Vec<(String, ImageUse)> {
    let photos = site.people.iter().filter_map(|p| Some((given_image_file(p.photo.as_deref()?)?, &p.origin)));
    photos.map(|(file, origin)| (file, ImageUse { source: origin.path.clone(), line: origin.line, col: 1 })).collect()
}

/// site.yaml's `image:`, the picture shared with pages that have none.
fn site_image(site: &Site) -> Option<(String, ImageUse)> {
    let file = given_image_file(site.config.image.as_deref()?)?;
    Some((file, ImageUse { source: sources::CONFIG.to_string(), line: 0, col: 0 }))
}

/// The files in the folders of reports that are folders (`content/reports/x/index.md`),
/// but for their Markdown files, hidden files and links.
fn bundle_files(project: &Project, site: &Site, diags: &mut Vec<Diagnostic>) -> Vec<String> {
    let not_markdown = |path: &Path| path.extension().is_none_or(|x| x != "md");
    let mut problems = crate::diag::Diagnostics::new();
    let folders = site.reports.iter().filter_map(|r| r.source.strip_suffix("/index.md"));
    let files: Vec<String> = folders
        .flat_map(|folder| crate::load::files_under(project, &project.root.join(folder), not_markdown, &mut problems))
        .map(|path| project.relative(&path))
        .collect();
    diags.extend(problems.iter().cloned());
    files
}

/// Where each file is published, without its extension for a photo (whose widths are
/// added): a report folder's files at the report's address, static/ files at the site
/// path they have there, other content files at their path under content/.
fn output_paths(site: &Site, files: &MediaFiles) -> BTreeMap<String, String> {
    let folders: BTreeMap<&str, ReportId> = (site.reports.iter().enumerate())
        .filter(|(_, r)| r.source.ends_with("/index.md"))
        .filter_map(|(i, r)| r.source.strip_suffix("index.md").map(|folder| (folder, ReportId(i as u32))))
        .collect();
    let place = |file: &str| {
        // The folder holding a file sorts right before it (what sorts between starts
        // with the folder too: a folder inside it).
        let in_folder = folders.range(..=file).next_back().filter(|(folder, _)| file.starts_with(*folder));
        if let Some((folder, id)) = in_folder {
            return format!("{}{}", super::route::report(site, *id), &file[folder.len()..]);
        }
        let under = |root: &str| file.strip_prefix(root).and_then(|f| f.strip_prefix('/')).map(str::to_string);
        under(sources::STATIC).or_else(|| under(sources::CONTENT)).unwrap_or_else(|| file.to_string())
    };
    files.keys().map(|file| (file.clone(), place(file))).collect()
}

/// Publishes one file at `output` (its site path): a photo resized to WebP, anything
/// else as it is. The files it went out as, or why it could not.
fn publish_file(
    project: &Project,
    file: &str,
    output: &str,
    settings: &ImageSettings,
    cache: &Cache,
    sink: &dyn Sink,
) -> Result<Vec<PublishedFile>, String> {
    let bytes = read_image(project, file)?;
    let cannot_write = |e: std::io::Error| format!("cannot write {output}: {e}");
    if image_kind(file) != Some(ImageKind::Processed) {
        let (width, height) = crate::media::copied_dimensions(&bytes, file).unwrap_or((0, 0));
        sink.put(output, OutputFile::bytes(bytes)).map_err(cannot_write)?;
        return Ok(vec![PublishedFile { path: output.to_string(), width, height }]);
    }
    let (processed, _decoded) = cache.process(&bytes, settings).map_err(|e| e.to_string())?;
    let stem = output.rsplit_once('.').map_or(output, |(stem, _)| stem);
    let mut published = Vec::with_capacity(processed.variants.len());
    for variant in processed.variants {
        let path = format!("{stem}-{}.webp", variant.width);
        published.push(PublishedFile { path: path.clone(), width: variant.width, height: variant.height });
        sink.put(&path, OutputFile::bytes(variant.bytes)).map_err(cannot_write)?;
    }
    Ok(published)
}

/// The bytes of `file` (root-relative), refused when missing, too large or reached
/// through a link leading outside the site.
fn read_image(project: &Project, file: &str) -> Result<Vec<u8>, String> {
    let path = project.root.join(file);
    let real = std::fs::canonicalize(&path).map_err(|_| "no such file".to_string())?;
    if !project.is_inside(&path) || !real.starts_with(&project.root) {
        return Err("the file is reached through a link leading outside the site".to_string());
    }
    let meta = std::fs::metadata(&real).map_err(|_| "no such file".to_string())?;
    if !meta.is_file() {
        return Err("not a file".to_string());
    }
    if meta.len() > MAX_IMAGE_FILE_BYTES {
        return Err(format!("the file is {} MiB; the limit is 64 MiB", meta.len() / (1024 * 1024)));
    }
    std::fs::read(&path).map_err(|e| format!("cannot read: {e}"))
}

/// Whether every picture of `body` (the body of the content file `source`) is one the
/// media stage handled (published, or reported as failed): an edited body naming a new
/// one needs the stage to run again.
pub fn bodies_published(site: &Site, source: &str, body: &str) -> bool {
    super::markdown::body_images(body).iter().all(|found| match image_file(source, &found.src) {
        Ok(file) => site.media.images.contains_key(&file) || site.media.failed.contains(&file),
        Err(_) => false,
    })
}

/// The cache of processed photos of the site at `root`.
pub fn cache_of(root: &Path) -> Cache {
    Cache::new(root.join(crate::media::CACHE_DIR))
}
