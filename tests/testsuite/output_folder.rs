//! The output folder: `build` replaces only what it wrote (its manifest), keeps the entries a
//! site names in `output_keep:`, builds into mount points, and replaces a read-only
//! previous output.

use std::path::Path;
use std::process::Command;

use crate::support::{TestSite, snapshot};

fn site(extra_config: &str) -> TestSite {
    TestSite::new()
        .file("site.yaml", &format!("title: Out\n{extra_config}"))
        .file("content/reports/a.md", "---\ntitle: Report A\ndate: 2019-01-01\n---\nA.\n")
        .file("content/reports/b.md", "---\ntitle: Report B\ndate: 2019-02-01\n---\nB.\n")
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The site as a fresh build into a new folder writes it.
fn fresh_build(site: &TestSite) -> std::collections::BTreeMap<String, Vec<u8>> {
    let fresh = crate::support::tempdir();
    let out = fresh.path().join("out");
    site.build(&["--output", out.to_str().unwrap()]).success();
    snapshot(&out)
}

#[test]
fn a_folder_with_files_no_build_wrote_is_refused_and_left_as_it_was() {
    let site = site("");
    write(&site.path("output/index.html"), "<p>my own page</p>");
    write(&site.path("output/notes.txt"), "keep me");
    write(&site.path("output/drafts/one.md"), "draft");
    let before = snapshot(&site.output());
    let run = site.build(&[]).exit(1);
    run.stderr_has("refusing to use").stderr_has("index.html").stderr_has("notes.txt").stderr_has("drafts/");
    run.stderr_has("output_keep:");
    assert_eq!(snapshot(&site.output()), before);
}

#[test]
fn files_added_to_a_built_folder_stop_the_next_build_until_moved() {
    let site = site("");
    site.build(&[]).success();
    write(&site.path("output/notes.txt"), "keep me");
    write(&site.path("output/reports/a/photo.jpg"), "mine");
    let before = snapshot(&site.output());
    site.build(&[]).exit(1).stderr_has("notes.txt").stderr_has("reports/a/photo.jpg");
    assert_eq!(snapshot(&site.output()), before, "a refused build touched the folder");
    std::fs::remove_file(site.path("output/notes.txt")).unwrap();
    std::fs::remove_file(site.path("output/reports/a/photo.jpg")).unwrap();
    site.build(&[]).success();
    assert_eq!(snapshot(&site.output()), fresh_build(&site));
}

#[test]
fn a_gh_pages_worktree_keeps_the_entries_the_site_names() {
    let site = site("output_keep: [.git, CNAME, .nojekyll]\n");
    let out = site.path("pages");
    write(&out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n");
    write(&out.join(".git/objects/ab/cdef"), "object");
    write(&out.join("CNAME"), "reports.example.org\n");
    write(&out.join(".nojekyll"), "");
    let kept: Vec<(String, Vec<u8>)> = snapshot(&out).into_iter().collect();
    site.build(&["--output", out.to_str().unwrap()]).success();
    std::fs::remove_file(site.path("content/reports/b.md")).unwrap();
    site.build(&["--output", out.to_str().unwrap()]).success();
    let mut built = snapshot(&out);
    for (path, bytes) in &kept {
        assert_eq!(built.remove(path).as_ref(), Some(bytes), "{path} was not kept as it was");
    }
    assert_eq!(built, fresh_build(&site), "besides the kept entries, the folder holds exactly the new site");
    assert!(!out.join("reports/b").exists());
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".communique-new") || n.starts_with(".communique-old"))
        .collect();
    assert_eq!(leftovers, Vec::<String>::new());
}

#[test]
fn kept_entries_are_refused_without_output_keep() {
    let site = site("");
    let out = site.path("pages");
    write(&out.join(".git/HEAD"), "ref: refs/heads/gh-pages\n");
    write(&out.join("CNAME"), "reports.example.org\n");
    site.build(&["--output", out.to_str().unwrap()]).exit(1).stderr_has(".git/").stderr_has("CNAME");
    assert!(!out.join("index.html").exists());
}

#[test]
fn output_keep_must_name_entries_the_build_does_not_write() {
    let site = site("output_keep: [index.html]\n");
    write(&site.path("output/index.html"), "mine");
    site.build(&[]).exit(1).stderr_has("names index.html");
    assert_eq!(std::fs::read_to_string(site.path("output/index.html")).unwrap(), "mine");
    let site = self::site("output_keep: [assets/logo.png]\n");
    site.build(&[]).exit(1).stderr_has("not the name of an entry directly in it");
}

/// Runs `script` with sh in a new mount namespace (`unshare -rm`: no privileges needed
/// where user namespaces are enabled), so mounts it makes vanish with it.
fn in_mount_namespace(script: &str, args: &[&str]) -> std::process::Output {
    Command::new("unshare")
        .args(["-rm", "sh", "-euc", script, "sh"])
        .args(args)
        .output()
        .expect("unshare (util-linux) runs")
}

#[cfg(target_os = "linux")]
#[test]
fn a_mount_point_is_built_into_entry_by_entry() {
    let site = site("");
    let volume = crate::support::tempdir();
    let out = site.output();
    std::fs::create_dir_all(&out).unwrap();
    let bin = env!("CARGO_BIN_EXE_communique");
    let root = site.root().to_str().unwrap();
    // output/ is a bind mount of another folder, as a Docker volume is: it cannot be
    // renamed, so a swap of the whole folder fails with EBUSY.
    let script = r#"mount --bind "$1" "$2"
        if mv "$2" "$2.moved" 2>/dev/null; then echo "a mount point was renamed"; exit 3; fi
        "$3" build --root "$4"
        echo 'More.' >> "$4/content/reports/a.md"
        rm "$4/content/reports/b.md"
        "$3" build --root "$4""#;
    let run = in_mount_namespace(script, &[volume.path().to_str().unwrap(), out.to_str().unwrap(), bin, root]);
    assert!(run.status.success(), "{}{}", String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert_eq!(snapshot(volume.path()), fresh_build(&site), "the volume holds exactly the new site");
    assert!(snapshot(&out).is_empty(), "the build wrote beside the mount instead of into it");
}

/// Runs the built binary as user nobody when this test runs as root (for whom permissions
/// do not apply), after giving nobody the site; otherwise as the current user.
fn build_as_unprivileged(site: &TestSite) -> std::process::Output {
    let bin = env!("CARGO_BIN_EXE_communique");
    let root = site.root().to_str().unwrap();
    let is_root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let mut command = if is_root {
        let owned = Command::new("chown").args(["-R", "65534:65534", root]).status().unwrap();
        assert!(owned.success());
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", bin]);
        c
    } else {
        Command::new(bin)
    };
    command.args(["build", "--root", root]).output().expect("run communique")
}

#[cfg(unix)]
#[test]
fn a_read_only_previous_output_is_replaced_without_leftovers() {
    use std::os::unix::fs::PermissionsExt;
    let site = site("");
    site.build(&[]).success();
    site.write("content/reports/a.md", "---\ntitle: Report A, again\ndate: 2019-01-01\n---\nA.\n");
    std::fs::set_permissions(site.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
    for entry in walkdir::WalkDir::new(site.output()).contents_first(true) {
        let entry = entry.unwrap();
        let mode = if entry.file_type().is_dir() { 0o555 } else { 0o444 };
        std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let run = build_as_unprivileged(&site);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(!stderr.contains("could not all be removed"), "{stderr}");
    assert_eq!(snapshot(&site.output()), fresh_build(&site));
    let hidden: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert_eq!(hidden, Vec::<String>::new(), "the previous output was left behind");
}

/// A site with `n` small reports, so a build writes a few thousand files.
fn many_reports(n: usize, title: &str, extra_config: &str) -> TestSite {
    let mut site = TestSite::new().file("site.yaml", &format!("title: Many\n{extra_config}"));
    for i in 0..n {
        let front = format!(
            "---\ntitle: {title} {i}\ndate: 2020-{:02}-{:02}\ncities: [City {}]\nofficials: [Person {}, Person {}]\n---\n",
            1 + i % 12,
            1 + i % 28,
            i % 40,
            i % 90,
            (i * 7) % 90
        );
        site = site.file(&format!("content/reports/r{i:04}.md"), &format!("{front}Text of report {i}.\n"));
    }
    site
}

/// Retitles every report of a [`many_reports`] site.
fn retitle(site: &TestSite, n: usize, from: &str, to: &str) {
    for i in 0..n {
        let path = format!("content/reports/r{i:04}.md");
        site.write(&path, &site.read(&path).replacen(&format!("title: {from}"), &format!("title: {to}"), 1));
    }
}

/// Runs `communique build` under strace, which kills it with SIGKILL on entry to the
/// `nth` call of any of `syscalls`: a kill that lands exactly in the phase those calls
/// belong to. Returns whether the build was killed there (it may finish first when it
/// makes fewer calls).
fn build_killed_at(site: &TestSite, syscalls: &str, nth: usize) -> bool {
    let status = Command::new("strace")
        .args(["-f", "-qq", "-o", "/dev/null"])
        .args(["-e", &format!("trace={syscalls}"), "-e", &format!("inject={syscalls}:signal=KILL:when={nth}")])
        .args([env!("CARGO_BIN_EXE_communique"), "build", "--root", site.root().to_str().unwrap()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("strace runs (apt-get install strace)");
    // strace passes the tracee's death on as its own.
    use std::os::unix::process::ExitStatusExt;
    status.signal() == Some(9) || status.code() == Some(128 + 9)
}

/// Hidden entries of `dir` whose names start with `prefix` (a build's staging folders).
fn entries_starting(dir: &Path, prefix: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(prefix))
        .collect();
    names.sort();
    names
}

/// Removes what a killed build left beside output/ (the next build would do it too).
fn remove_staging(site: &TestSite) {
    for name in entries_starting(site.root(), ".output.tmp-") {
        std::fs::remove_dir_all(site.path(&name)).unwrap();
    }
}

const MKDIR: &str = "mkdir,mkdirat";
const RENAME: &str = "rename,renameat,renameat2";
const UNLINK: &str = "unlink,unlinkat,rmdir";

#[cfg(target_os = "linux")]
#[test]
#[cfg_attr(no_strace, ignore = "needs strace (apt-get install strace)")]
fn a_build_killed_while_writing_or_swapping_leaves_the_old_or_the_new_site() {
    let site = many_reports(150, "Old", "");
    site.build(&[]).success();
    let old = snapshot(&site.output());
    retitle(&site, 150, "Old", "New");
    let new = fresh_build(&site);
    // While writing pages into the staging folder: it exists, output/ is the old site.
    assert!(build_killed_at(&site, MKDIR, 40), "the build made fewer than 40 folders");
    assert_eq!(entries_starting(site.root(), ".output.tmp-").len(), 1, "killed before staging began");
    assert!(snapshot(&site.output()) == old, "killed while writing: output/ is not the old site");
    remove_staging(&site);
    // On entry to the swap: everything is written, nothing swapped yet.
    assert!(build_killed_at(&site, RENAME, 1));
    assert!(snapshot(&site.output()) == old, "killed at the swap: output/ is not the old site");
    // Removed here, or the next build's first unlinks would be those removing it.
    remove_staging(&site);
    // After the swap, while the old site (now in the staging folder's place) is removed.
    assert!(build_killed_at(&site, UNLINK, 20), "the build removed fewer than 20 files");
    assert!(snapshot(&site.output()) == new, "killed after the swap: output/ is not the new site");
    assert_eq!(entries_starting(site.root(), ".output.tmp-").len(), 1, "no old site was being removed");
    // The next build removes what the killed ones left.
    site.build(&[]).success();
    assert!(snapshot(&site.output()) == new);
    assert_eq!(entries_starting(site.root(), "."), Vec::<String>::new(), "leftovers of killed builds remain");
}

#[cfg(target_os = "linux")]
#[test]
#[cfg_attr(no_strace, ignore = "needs strace (apt-get install strace)")]
fn a_build_killed_while_replacing_entries_is_repaired_by_the_next_one() {
    let site = many_reports(150, "Old", "output_keep: [CNAME]\n");
    write(&site.path("output/CNAME"), "reports.example.org\n");
    site.build(&[]).success();
    // Entries move one by one (the manifest first, then two renames an entry, `reports`
    // 22nd and 23rd): kill half-way through them, and while removing the old ones. Each
    // build adds a report, so a half-replaced folder holds files the old manifest lacks.
    let mut killed = 0;
    for (k, (syscalls, nth)) in
        [(RENAME, 2), (RENAME, 9), (RENAME, 24), (RENAME, 27), (UNLINK, 20)].into_iter().enumerate()
    {
        site.write(&format!("content/reports/x{k}.md"), &format!("---\ntitle: Extra {k}\ndate: 2021-01-01\n---\nX.\n"));
        let mut new = fresh_build(&site);
        new.insert("CNAME".into(), b"reports.example.org\n".to_vec());
        if build_killed_at(&site, syscalls, nth) {
            killed += 1;
        }
        assert_eq!(site.read("output/CNAME"), "reports.example.org\n", "a kill touched a kept entry");
        assert_eq!(entries_starting(&site.output(), ".communique-").len(), 3, "not killed while replacing");
        site.build(&[]).success();
        assert!(snapshot(&site.output()) == new, "the build after a kill is not the new site");
    }
    assert_eq!(killed, 5);
}
