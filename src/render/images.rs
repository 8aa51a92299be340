//! The media stage: publishes every image the pages show and every file of a report's
//! folder, and says where each went ([`MediaIndex`], which the pages then link).
//!
//! Runs after resolve, for `build` and `serve` alike. Photos (JPEG, PNG, WebP) go out only
//! as WebP at the widths of `images.widths`, stripped of their metadata by
//! [`crate::media`] (press photos carry the GPS position they were taken at); SVG, GIF and
//! every other file of a report's folder go out as they are. Processed photos come from
//! the cache in `.communique-cache/` when the same file was processed with the same
//! settings, so a build where no photo changed decodes none. Files are handed to the sink
//! as each is made, so memory holds the photos being processed, not all of them. In
//! `serve`, a new or replaced photo is only decoded here ([`Variants::Deferred`], within
//! `DEFERRED_MEMORY`) and its variants made after the reload ([`make_deferred`]).

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::ops::Bound;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Message, msg};
use crate::media::VariantContent;
use crate::media::{
    Cache, Fetch, Fetched, FileStamp, ImageError, ImageSettings, NewEntry, Prepared, Processed, Variant,
};
use crate::media::{ImageKind, image_kind};
use crate::model::images::{MediaIndex, PublishedFile, given_image_file, image_file};
use crate::model::{ReportId, Site};
use crate::output::{OutputFile, Sink, StaticSource};
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

/// What the media stage did.
pub struct Published {
    /// Where each file went.
    pub index: MediaIndex,
    /// The problems: each at every place naming a file that failed.
    pub diagnostics: Vec<Diagnostic>,
    /// How many photos were published, and how many of them were processed (not found
    /// in the cache).
    pub photos: usize,
    pub processed: usize,
    /// The photos whose variants [`Variants::Deferred`] left to [`make_deferred`].
    pub deferred: Vec<DeferredPhoto>,
}

/// When the variants of a photo that is not in the cache are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Variants {
    /// Before `publish` returns (`build`).
    Now,
    /// By [`make_deferred`], after the pages: `serve` tells open tabs to reload once the
    /// photo is decoded (its sizes known, a bad file found), and requests for its
    /// variants wait for them. Only as many photos as `DEFERRED_MEMORY` holds: the
    /// others (a checkout bringing hundreds) are made at once, a few at a time.
    Deferred,
}

/// The most memory the decoded pixels of deferred photos take (256 MiB: one photo of 24
/// megapixels, or about sixteen of 2 megapixels).
const DEFERRED_MEMORY: usize = if cfg!(test) { 8 << 20 } else { 256 << 20 };

/// Takes `bytes` from `budget` if it has them.
fn within(budget: &AtomicUsize, bytes: usize) -> bool {
    budget.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| left.checked_sub(bytes)).is_ok()
}

/// Publishes every image and report-folder file of `site` to `sink`; `others` are the
/// files under content/ that are not Markdown (site paths, sorted: the load stage's walk).
/// With [`Variants::Deferred`], the variants of photos not in the cache are left to
/// [`make_deferred`] (`Published::deferred`); the index names them all the same.
pub fn publish(
    project: &Project,
    site: &Site,
    (others, variants): (&BTreeSet<String>, Variants),
    cache: &Cache,
    sink: &dyn Sink,
) -> Published {
    let (files, walked, mut diags) = media_files(site, others);
    let settings = &site.config.images;
    let outputs = output_paths(site, &files);
    let budget = AtomicUsize::new(DEFERRED_MEMORY);
    let published: Vec<(&String, Result<PublishedPhoto, Message>)> = files
        .par_iter()
        .map(|(file, _)| {
            let source = Source { file, walked: walked.contains(file) };
            let making = (settings, variants, &budget);
            (file, publish_file(project, source, &outputs[file], making, cache, sink))
        })
        .collect();
    let (mut index, mut deferred) = (MediaIndex::default(), Vec::new());
    for (file, result) in published {
        match result {
            Ok((published, prepared)) => {
                if file.starts_with(&format!("{}/", sources::STATIC)) && image_kind(file) == Some(ImageKind::Processed)
                {
                    index.replaced.insert(outputs[file].clone());
                }
                if let Some((photo, entry)) = prepared {
                    let paths = published.iter().map(|f| f.path.clone()).collect();
                    deferred.push(DeferredPhoto { file: file.clone(), uses: files[file].clone(), paths, photo, entry });
                }
                index.images.insert(file.clone(), published);
            }
            Err(message) => {
                diags.extend(failure_diagnostics(file, &files[file], &message));
                index.failed.insert(file.clone());
            }
        }
    }
    let summary = cache.finish_run();
    diags.extend(summary.unwritable.as_deref().map(|reason| unwritable_cache(cache, reason)));
    Published { index, diagnostics: diags, photos: summary.photos, processed: summary.processed, deferred }
}

/// A photo published but for its variants ([`Variants::Deferred`]).
pub struct DeferredPhoto {
    file: String,
    uses: BTreeSet<ImageUse>,
    /// The output path of each variant, as `photo.sizes()`.
    paths: Vec<String>,
    photo: Box<Prepared>,
    entry: NewEntry,
}

impl DeferredPhoto {
    /// The output paths of its variants, which requests must not get before they are made.
    pub fn paths(&self) -> &[String] {
        &self.paths
    }
}

/// Makes the variants of the `photos` that [`publish`] deferred, on every core, the
/// largest first, handing each to `ready` (on the calling thread) as soon as it is made,
/// and stores each photo in the cache once its variants are. The errors: each at every
/// place naming a photo that failed (only the encoder itself can fail here).
pub fn make_deferred(
    photos: Vec<DeferredPhoto>,
    cache: &Cache,
    mut ready: impl FnMut(&str, OutputFile),
) -> Vec<Diagnostic> {
    let mut made: Vec<Vec<Option<Variant>>> = photos.iter().map(|p| vec![None; p.paths.len()]).collect();
    let mut failures: Vec<Option<Message>> = vec![None; photos.len()];
    for_each_variant(&photos, |p, v, result| match result {
        Ok(variant) => {
            ready(&photos[p].paths[v], OutputFile::bytes(variant.bytes.clone()));
            made[p][v] = Some(variant);
        }
        Err(error) => drop(failures[p].get_or_insert(Message::from_error(error))),
    });
    let mut diagnostics = Vec::new();
    for ((photo, variants), failure) in photos.into_iter().zip(made).zip(failures) {
        match failure {
            Some(message) => diagnostics.extend(failure_diagnostics(&photo.file, &photo.uses, &message)),
            None => {
                let (width, height) = photo.photo.size();
                let variants = variants.into_iter().flatten().collect();
                cache.store(photo.entry, Processed { width, height, variants });
            }
        }
    }
    diagnostics
}

/// Makes every variant of `photos` on rayon's pool, the largest first (so that no core
/// is left with a long one at the end), and calls `each` with the photo's and the
/// variant's index and the result, on the calling thread, as each is made.
fn for_each_variant(photos: &[DeferredPhoto], mut each: impl FnMut(usize, usize, Result<Variant, ImageError>)) {
    let mut jobs: Vec<(usize, usize)> =
        (photos.iter().enumerate()).flat_map(|(p, photo)| (0..photo.paths.len()).map(move |v| (p, v))).collect();
    jobs.sort_by_key(|&(p, v)| {
        let (width, height) = photos[p].photo.sizes()[v];
        std::cmp::Reverse(u64::from(width) * u64::from(height))
    });
    let (sender, results) = std::sync::mpsc::channel();
    std::thread::scope(|scope| {
        // From a thread of its own, which waits for the pool: every thread of the pool
        // encodes while this one hands the variants out.
        scope.spawn(|| {
            jobs.into_par_iter().for_each_with(sender, |sender, (p, v)| {
                // The receiver lives until every sender is dropped.
                let _ = sender.send((p, v, photos[p].photo.variant(v)));
            })
        });
        for (p, v, result) in results {
            each(p, v, result);
        }
    });
}

/// The warning that the cache could not be written: nothing is lost, but every build
/// processes the photos again.
fn unwritable_cache(cache: &Cache, reason: &str) -> Diagnostic {
    Diagnostic::warning(crate::media::CACHE_DIR, 0, 0, msg!("the image cache cannot be written ({reason})"))
        .with_hint(format!("every build processes the photos again until {} can be written", cache.dir().display()))
}

/// One error for each place naming `file`, or one naming the file itself when only its
/// report's folder holds it.
fn failure_diagnostics(file: &str, uses: &BTreeSet<ImageUse>, message: &Message) -> Vec<Diagnostic> {
    if uses.is_empty() {
        return vec![Diagnostic::error(file, 0, 0, message.clone())];
    }
    uses.iter().map(|u| Diagnostic::error(&u.source, u.line, u.col, message.clone().about(file))).collect()
}

/// Every file to publish, with the places naming it; those of them found by walking
/// report folders (so reached through no link); and the errors of names that lead
/// nowhere an image can be (outside the site, not an image).
fn media_files(site: &Site, others: &BTreeSet<String>) -> (MediaFiles, HashSet<String>, Vec<Diagnostic>) {
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
    // Every body is searched for pictures on every resolve in serve: both cores share it,
    // and only bodies with picture syntax (noted as they were read) are parsed.
    let bodies: Vec<_> = bodies(site).filter(|(_, body, _)| body.may_show_pictures()).collect();
    let found_in_bodies: Vec<_> =
        bodies.into_par_iter().map(|(source, body, line)| (source, line, super::markdown::body_images(body))).collect();
    for (source, body_line, found_in_body) in found_in_bodies {
        for found in found_in_body {
            let at = ImageUse { source: source.clone(), line: body_line + found.line - 1, col: found.col };
            let error = |message: Message| Diagnostic::error(&at.source, at.line, at.col, message);
            if found.alt.trim().is_empty() {
                diags.push(error(msg!("the image \"{}\" has no alt text", found.src)).with_hint(
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
    let walked: HashSet<String> = bundle_files(site, others).cloned().collect();
    for file in &walked {
        files.entry(file.clone()).or_default();
    }
    (files, walked, diags)
}

/// Every body of the site, in every language: its source, Markdown and first line.
fn bodies(site: &Site) -> impl Iterator<Item = (&String, &crate::load::body::Body, usize)> {
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

/// The files in the folders of reports that are folders (`content/reports/x/index.md`)
/// among `others` (no Markdown, hidden file or link is among them).
fn bundle_files<'a>(site: &'a Site, others: &'a BTreeSet<String>) -> impl Iterator<Item = &'a String> {
    let folders = site.reports.iter().filter_map(|r| r.source.strip_suffix("index.md"));
    // A folder's files sort right after its name, before anything not under it.
    folders.flat_map(|folder| {
        others
            .range::<str, _>((Bound::Included(folder), Bound::Unbounded))
            .take_while(move |file| file.starts_with(folder))
    })
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

/// What one file went out as, and a photo whose variants are deferred.
type PublishedPhoto = (Vec<PublishedFile>, Option<(Box<Prepared>, NewEntry)>);

/// Publishes one file at `output` (its site path): a photo resized to WebP, anything
/// else as it is. The files it went out as, or why it could not.
fn publish_file(
    project: &Project,
    Source { file, walked }: Source,
    output: &str,
    (settings, variants, budget): (&ImageSettings, Variants, &AtomicUsize),
    cache: &Cache,
    sink: &dyn Sink,
) -> Result<PublishedPhoto, Message> {
    let (path, meta) = image_path(project, file, walked)?;
    let read = || std::fs::read(&path).map_err(|e| msg!("cannot read: {e}"));
    let cannot_write = |e: std::io::Error| msg!("cannot write {output}: {e}");
    if image_kind(file) != Some(ImageKind::Processed) {
        let bytes = read()?;
        let is_svg = file.rsplit_once('.').is_some_and(|(_, extension)| extension.eq_ignore_ascii_case("svg"));
        let size = match is_svg {
            true => crate::media::check_svg(&bytes).map_err(Message::from_error)?,
            false => crate::media::copied_dimensions(&bytes, file),
        };
        let (width, height) = size.unwrap_or((0, 0));
        sink.put(output, OutputFile::bytes(bytes)).map_err(cannot_write)?;
        return Ok((vec![PublishedFile { path: output.to_string(), width, height }], None));
    }
    let stamp = FileStamp::of(&meta);
    let stem = output.rsplit_once('.').map_or(output, |(stem, _)| stem);
    let deferred = |photo: &Prepared| variants == Variants::Deferred && within(budget, photo.memory());
    let fetched = match cache.fetch_or_prepare(file, stamp, read, settings).map_err(Message::from_error)? {
        Fetch::Stored(fetched) => fetched,
        Fetch::Prepared(photo, entry) if deferred(&photo) => {
            let sizes = photo.sizes().iter();
            let files = sizes.map(|&(width, height)| PublishedFile { path: variant_path(stem, width), width, height });
            return Ok((files.collect(), Some((photo, entry))));
        }
        Fetch::Prepared(photo, entry) => cache.store(entry, photo.into_processed().map_err(Message::from_error)?),
    };
    let from_cache = !fetched.decoded;
    let mut published = Vec::with_capacity(fetched.variants.len());
    match put_variants(stem, fetched, sink, &mut published) {
        // A cached variant gone since the last run checked it: check again, and put
        // what was not put yet (the same key gives the same variants).
        Err(_) if from_cache => {
            cache.forget(file);
            let mut fetched = cache.fetch(file, stamp, read, settings).map_err(Message::from_error)?;
            fetched.variants.drain(..published.len().min(fetched.variants.len()));
            put_variants(stem, fetched, sink, &mut published)
        }
        result => result,
    }
    .map_err(cannot_write)?;
    Ok((published, None))
}

/// The output path of a photo's variant `width`: `<stem>-<width>.webp`.
fn variant_path(stem: &str, width: u32) -> String {
    format!("{stem}-{width}.webp")
}

/// Hands the variants of a photo to the sink at their [`variant_path`]s, pushing each to
/// `published` once it is put.
fn put_variants(
    stem: &str,
    fetched: Fetched,
    sink: &dyn Sink,
    published: &mut Vec<PublishedFile>,
) -> std::io::Result<()> {
    for variant in fetched.variants {
        let path = variant_path(stem, variant.width);
        let content = match variant.content {
            VariantContent::Stored(stored) => OutputFile::Static(StaticSource::Cached(stored)),
            VariantContent::Made(bytes) => OutputFile::bytes(bytes),
        };
        sink.put(&path, content)?;
        published.push(PublishedFile { path, width: variant.width, height: variant.height });
    }
    Ok(())
}

/// A file to publish (root-relative), and whether the walk of a report folder found it.
struct Source<'a> {
    file: &'a str,
    walked: bool,
}

/// Where `file` (root-relative) is and its metadata; refused when missing, too large or
/// reached through a link leading outside the site. A `walked` file was reached through
/// no link (walks do not follow them), which spares resolving its path.
fn image_path(project: &Project, file: &str, walked: bool) -> Result<(std::path::PathBuf, std::fs::Metadata), Message> {
    let path = project.root.join(file);
    let real = match walked {
        true => path.clone(),
        false => std::fs::canonicalize(&path).map_err(|_| msg!("no such file"))?,
    };
    if !project.is_inside(&path) || !real.starts_with(&project.root) {
        return Err(msg!("the file is reached through a link leading outside the site"));
    }
    // Not following a link: a walked file that became one since is refused.
    let meta = std::fs::symlink_metadata(&real).map_err(|_| msg!("no such file"))?;
    if !meta.is_file() {
        return Err(msg!("not a file"));
    }
    if meta.len() > MAX_IMAGE_FILE_BYTES {
        return Err(msg!("the file is {} MiB; the limit is 64 MiB", meta.len() / (1024 * 1024)));
    }
    Ok((real, meta))
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
