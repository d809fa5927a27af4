use super::*;

fn mkfifo(path: &Path) -> io::Result<()> {
    rustix::fs::mknodat(
        rustix::fs::CWD,
        path,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o600),
        0,
    )
    .map_err(io::Error::from)
}

/// Runs `f` on another thread; fails the test if it has not returned within 10 s.
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

/// The kinds of error each way of opening a log gives for `path`: reader, writer, repair.
fn open_all(path: &Path) -> Result<[Option<String>; 3], String> {
    let name = |e: StoreError| match e {
        StoreError::NotARegularFile { .. } => "not regular".to_owned(),
        StoreError::IsDirectory { .. } => "directory".to_owned(),
        StoreError::Symlink { .. } => "symlink".to_owned(),
        other => format!("{other:?}"),
    };
    let p = path.to_path_buf();
    promptly(&format!("opening {}", path.display()), move || {
        [
            FileStore::open_reader(&p).err().map(name),
            FileStore::open_writer(&p).err().map(name),
            repair(&p).err().map(name),
        ]
    })
}

/// Finding 9: the log is opened first — without waiting, so a FIFO cannot block it — and
/// checked on the descriptor, so there is no gap in which the path could be swapped.
#[test]
fn a_fifo_device_or_directory_as_the_log_is_refused_without_blocking()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let fifo = dir.path().join("fifo.log");
    mkfifo(&fifo)?;
    let some = |s: &str| Some(s.to_owned());
    assert_eq!(
        open_all(&fifo)?,
        [
            some("not regular"),
            some("not regular"),
            some("not regular")
        ]
    );
    // Through a link: a reader follows it (and refuses the FIFO); writers refuse the link.
    let link = dir.path().join("link.log");
    std::os::unix::fs::symlink(&fifo, &link)?;
    assert_eq!(
        open_all(&link)?,
        [some("not regular"), some("symlink"), some("symlink")]
    );
    assert_eq!(
        open_all(Path::new("/dev/null"))?,
        [
            some("not regular"),
            some("not regular"),
            some("not regular")
        ]
    );
    let sub = dir.path().join("dir.log");
    fs::create_dir(&sub)?;
    assert_eq!(
        open_all(&sub)?,
        [some("directory"), some("directory"), some("directory")]
    );
    // The FIFO is still there, and nothing was written beside it.
    let mut names: Vec<_> = fs::read_dir(dir.path())?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()?;
    names.sort();
    assert_eq!(names, ["dir.log", "fifo.log", "link.log"]);
    Ok(())
}

/// The repair that verifies nothing refuses a file with other names: the log's name may
/// be a hard link to any file of the user's, whose end it would cut. Nothing is changed
/// and no side file is made; with one name the same file is repaired.
#[test]
fn an_unverified_repair_refuses_a_file_with_other_names() -> Result<(), Box<dyn std::error::Error>>
{
    let dir = tempfile::tempdir()?;
    let victim = dir.path().join("notes.txt");
    let bytes = b"a line\nand the end, without a newline";
    fs::write(&victim, bytes)?;
    let log = dir.path().join("x.log");
    fs::hard_link(&victim, &log)?;
    let e = repair(&log).err();
    assert!(
        matches!(&e, Some(StoreError::HardLinked { links: 2, path }) if path == &log),
        "{e:?}"
    );
    let msg = e.map(|e| e.to_string()).unwrap_or_default();
    assert!(msg.contains("x.log") && msg.contains("hard links"), "{msg}");
    assert_eq!(fs::read(&victim)?, bytes);
    fs::remove_file(&victim)?;
    let mut names: Vec<_> = fs::read_dir(dir.path())?
        .map(|e| e.map(|e| e.file_name()))
        .collect::<Result<_, _>>()?;
    names.sort();
    assert_eq!(names, ["x.log"]);
    assert!(matches!(
        repair(&log)?,
        RepairOutcome::Repaired { offset: 7, .. }
    ));
    Ok(())
}

/// A regular log opened by each path: writers get a descriptor that blocks normally (the
/// `O_NONBLOCK` of the open is cleared) and appends at the end.
#[test]
fn a_log_opened_without_blocking_behaves_as_before() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("x.log");
    drop(FileStore::create(&path, &[b"one"])?);
    let mut w = FileStore::open_writer(&path)?;
    let flags = rustix::fs::fcntl_getfl(&w.file)?;
    assert!(!flags.contains(rustix::fs::OFlags::NONBLOCK), "{flags:?}");
    assert!(flags.contains(rustix::fs::OFlags::APPEND), "{flags:?}");
    w.append(&[b"two"])?;
    drop(w);
    let r = FileStore::open_reader(&path)?;
    let flags = rustix::fs::fcntl_getfl(&r.file)?;
    assert!(!flags.contains(rustix::fs::OFlags::NONBLOCK), "{flags:?}");
    assert_eq!(fs::read(&path)?, b"one\ntwo\n");
    assert_eq!(r.len_bytes(), 8);
    // A log with a second name (a hard link) is still a log: see `open_for_writing`.
    fs::hard_link(&path, dir.path().join("y.log"))?;
    FileStore::open_writer(dir.path().join("y.log"))?.append(&[b"three"])?;
    assert_eq!(fs::read(&path)?, b"one\ntwo\nthree\n");
    Ok(())
}
