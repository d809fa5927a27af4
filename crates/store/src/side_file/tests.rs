use super::*;
use std::os::unix::fs::symlink;

const SECRET: &[u8] = b"PRIVATE+KEY+operator+00000000+secret\n";

fn fifo(path: &Path) -> io::Result<()> {
    rustix::fs::mknodat(
        rustix::fs::CWD,
        path,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .map_err(io::Error::from)
}

#[test]
fn a_link_is_refused_for_every_access_and_never_written_through()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let key = dir.path().join("key");
    std::fs::write(&key, SECRET)?;
    let link = dir.path().join("x.log.tree");
    symlink(&key, &link)?;
    for access in [Access::Read, Access::ReadWrite, Access::CreateReadWrite] {
        assert!(
            matches!(open(&link, "t", access), Err(SideFileError::Symlink { .. })),
            "{access:?}"
        );
    }
    assert!(matches!(
        read_bounded(&link, "t", 1 << 20),
        Err(SideFileError::Symlink { .. })
    ));
    // A dangling link is refused too, and nothing is created at its target.
    let dangling = dir.path().join("dangling");
    symlink(dir.path().join("target"), &dangling)?;
    assert!(matches!(
        open(&dangling, "t", Access::CreateReadWrite),
        Err(SideFileError::Symlink { .. })
    ));
    assert!(matches!(
        create_new(&dangling, "t", b"x", 0o600, false),
        Err(SideFileError::AlreadyExists { .. })
    ));
    assert!(!dir.path().join("target").exists());
    // Replacing the link puts a regular file at its place; the key is untouched.
    replace(&link, "t", b"new", true)?;
    assert!(link.symlink_metadata()?.is_file());
    assert_eq!(std::fs::read(&link)?, b"new");
    assert_eq!(std::fs::read(&key)?, SECRET);
    // No temporary file is left behind.
    let mut names: Vec<_> = std::fs::read_dir(dir.path())?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()?;
    names.sort();
    assert_eq!(names, ["dangling", "key", "x.log.tree"]);
    Ok(())
}

#[test]
fn a_fifo_is_refused_without_blocking() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("x.log.state");
    fifo(&path)?;
    for access in [Access::Read, Access::ReadWrite, Access::CreateReadWrite] {
        assert!(
            matches!(
                open(&path, "s", access),
                Err(SideFileError::NotRegular { .. })
            ),
            "{access:?}"
        );
    }
    replace(&path, "s", b"state", false)?;
    assert_eq!(std::fs::read(&path)?, b"state");
    Ok(())
}

#[test]
fn a_sparse_huge_file_is_refused_from_its_size() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("big");
    File::create(&path)?.set_len(4 << 30)?;
    let started = std::time::Instant::now();
    assert!(matches!(
        read_bounded(&path, "b", 1 << 20),
        Err(SideFileError::TooLarge { limit, .. }) if limit == 1 << 20
    ));
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    std::fs::write(&path, b"12345")?;
    assert_eq!(read_bounded(&path, "b", 5)?, Some(b"12345".to_vec()));
    assert!(matches!(
        read_bounded(&path, "b", 4),
        Err(SideFileError::TooLarge { .. })
    ));
    assert_eq!(read_bounded(&dir.path().join("none"), "b", 4)?, None);
    Ok(())
}

#[test]
fn a_directory_is_not_a_regular_file() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub)?;
    assert!(matches!(
        open(&sub, "d", Access::Read),
        Err(SideFileError::NotRegular { .. })
    ));
    assert!(matches!(
        open(&sub, "d", Access::ReadWrite),
        Err(SideFileError::NotRegular { .. })
    ));
    assert!(matches!(
        replace(&sub, "d", b"x", false),
        Err(SideFileError::NotRegular { .. })
    ));
    assert!(sub.is_dir());
    Ok(())
}

/// Runs `f` on another thread and fails the test if it has not returned within a few
/// seconds (an open that blocks on a FIFO would otherwise hang the test run).
fn promptly<T: Send + 'static>(
    what: &str,
    f: impl FnOnce() -> T + Send + 'static,
) -> Result<T, String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(std::time::Duration::from_secs(10))
        .map_err(|_| format!("{what}: still waiting after 10 s: it blocked"))
}

fn nlink(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt as _;
    path.symlink_metadata().map(|m| m.nlink()).unwrap_or(0)
}

/// Finding 3: a hard link planted at a side file's name (to any file of the user's in the
/// same file system) is never opened for writing in place: `O_NOFOLLOW` does not see it,
/// the link count does. Reading through it is allowed (nothing is written); `replace`
/// breaks the link and leaves the other file alone.
#[test]
fn a_hard_link_is_never_opened_for_writing_in_place() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let victim = dir.path().join("victim");
    std::fs::write(&victim, SECRET)?;
    let name = dir.path().join("x.log.tree");
    std::fs::hard_link(&victim, &name)?;
    for access in [Access::ReadWrite, Access::CreateReadWrite] {
        let e = open(&name, "the tree file", access).err();
        assert!(
            matches!(&e, Some(SideFileError::HardLinked { links: 2, path, .. }) if path == &name),
            "{access:?}: {e:?}"
        );
        let e = e.map(|e| e.to_string()).unwrap_or_default();
        assert!(
            e.contains("x.log.tree") && e.contains("hard links") && e.contains("remove"),
            "{e}"
        );
    }
    assert!(open(&name, "t", Access::Read)?.is_some());
    assert_eq!(read_bounded(&name, "t", 1 << 20)?, Some(SECRET.to_vec()));
    assert_eq!(std::fs::read(&victim)?, SECRET);
    // Replacing the name breaks the link; the other file keeps its bytes and its name.
    replace(&name, "t", b"new", false)?;
    assert_eq!((nlink(&name), nlink(&victim)), (1, 1));
    assert_eq!(std::fs::read(&victim)?, SECRET);
    assert!(open(&name, "t", Access::ReadWrite)?.is_some());
    // A file with one name opens for writing; a link made to it afterwards does not
    // change which file is held.
    let held = open(&name, "t", Access::CreateReadWrite)?.ok_or("no file")?;
    std::fs::hard_link(&name, dir.path().join("later"))?;
    held.set_len(1)?;
    assert_eq!(std::fs::read(dir.path().join("later"))?, b"n");
    assert_eq!(std::fs::read(&victim)?, SECRET);
    Ok(())
}

/// Finding 9: a user-named input is read without waiting on a FIFO, never from a device
/// or directory, with a bound that names the file and the limit; a link is followed.
#[test]
fn read_input_never_blocks_and_is_bounded() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let fifo_path = dir.path().join("events.fifo");
    fifo(&fifo_path)?;
    let p = fifo_path.clone();
    let e = promptly("read_input of a FIFO", move || {
        read_input(&p, "the events file", 100).err()
    })?;
    let msg = e.as_ref().map(ToString::to_string).unwrap_or_default();
    assert!(
        matches!(e, Some(SideFileError::InputNotRegular { .. })),
        "{msg}"
    );
    assert!(
        msg.contains("events.fifo") && msg.contains("not a regular file"),
        "{msg}"
    );
    // A link to the FIFO is followed, and the FIFO still refused.
    let link = dir.path().join("link");
    symlink(&fifo_path, &link)?;
    let l = link.clone();
    let e = promptly("read_input of a link to a FIFO", move || {
        read_input(&l, "the key file", 100).err()
    })?;
    assert!(
        matches!(e, Some(SideFileError::InputNotRegular { .. })),
        "{e:?}"
    );
    for special in [Path::new("/dev/zero"), dir.path()] {
        assert!(
            matches!(
                read_input(special, "the --data file", 100),
                Err(SideFileError::InputNotRegular { .. })
            ),
            "{}",
            special.display()
        );
    }
    let missing = read_input(&dir.path().join("none"), "the --data file", 100).err();
    assert!(
        matches!(&missing, Some(SideFileError::InputNotFound { .. })),
        "{missing:?}"
    );
    // Bounded: the limit is named; a file of exactly the limit is read; a link to a
    // regular file is followed.
    let file = dir.path().join("data.json");
    std::fs::write(&file, b"12345")?;
    assert_eq!(read_input(&file, "d", 5)?, b"12345");
    let e = read_input(&file, "the --data file", 4).err();
    let msg = e.as_ref().map(ToString::to_string).unwrap_or_default();
    assert!(
        matches!(e, Some(SideFileError::InputTooLarge { limit: 4, .. }))
            && msg.contains("data.json")
            && msg.contains("4 bytes"),
        "{msg}"
    );
    let to_file = dir.path().join("to-file");
    symlink(&file, &to_file)?;
    assert_eq!(read_input(&to_file, "d", 5)?, b"12345");
    // A sparse giant is refused from its size, at once.
    let big = dir.path().join("big");
    File::create(&big)?.set_len(4 << 30)?;
    assert!(matches!(
        read_input(&big, "b", 1 << 20),
        Err(SideFileError::InputTooLarge { .. })
    ));
    Ok(())
}

/// Finding 9: syncing a directory never opens (let alone waits on) anything but a
/// directory; a side directory that is a link is refused.
#[test]
fn directories_are_synced_without_blocking_or_following_side_links()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let fifo_path = dir.path().join("x.log.checkpoints");
    fifo(&fifo_path)?;
    let p = fifo_path.clone();
    let (plain, side) = promptly("sync_dir of a FIFO", move || {
        (
            sync_dir(&p).err(),
            sync_side_dir(&p, "the checkpoint directory").err(),
        )
    })?;
    assert!(plain.is_some());
    assert!(
        matches!(side, Some(SideFileError::NotADirectory { .. })),
        "{side:?}"
    );
    std::fs::remove_file(&fifo_path)?;
    std::fs::write(&fifo_path, b"not a directory")?;
    assert!(sync_dir(&fifo_path).is_err());
    assert!(matches!(
        sync_side_dir(&fifo_path, "d"),
        Err(SideFileError::NotADirectory { .. })
    ));
    std::fs::remove_file(&fifo_path)?;
    let real = dir.path().join("real");
    std::fs::create_dir(&real)?;
    symlink(&real, &fifo_path)?;
    // The folder of a user's path may be a link: followed. A side directory: refused.
    sync_dir(&fifo_path)?;
    assert!(matches!(
        sync_side_dir(&fifo_path, "d"),
        Err(SideFileError::Symlink { .. })
    ));
    sync_side_dir(&real, "d")?;
    sync_dir(dir.path())?;
    Ok(())
}

#[test]
fn temporary_names_are_unpredictable() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let a = temp_in(dir.path(), std::ffi::OsStr::new("x.log"), false)?;
    let b = temp_in(dir.path(), std::ffi::OsStr::new("x.log"), false)?;
    let name = |t: &tempfile::NamedTempFile| {
        t.path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let (na, nb) = (name(&a), name(&b));
    assert_ne!(na, nb);
    for n in [&na, &nb] {
        assert!(n.starts_with(".x.log.") && n.ends_with(".tmp"), "{n}");
        assert!(!n.contains(&std::process::id().to_string()), "{n}");
    }
    Ok(())
}
