use super::*;

/// The store knows nothing of batches: a crash inside a batch's write leaves its complete
/// lines as lines and only the bytes after the last newline as the torn tail. (Whether
/// those lines end inside a batch is the verifier's to say, from their signed `more`;
/// `acta_store::log::repair` acts on that.)
#[test]
fn a_batch_cut_short_is_lines_and_a_torn_last_line_to_the_store()
-> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("b.log");
    let mut store = FileStore::create(&path, &[b"genesis"])?;
    store.append(&[b"one", b"two"])?;
    let start = store.len_bytes();
    store.append(&[b"three", b"four", b"five"])?;
    drop(store);
    // Simulate the crash: only "three\nfo" of the batch reached the disk.
    let full = fs::read(&path)?;
    let cut = start as usize + "three\nfo".len();
    fs::write(&path, &full[..cut])?;
    let reader = FileStore::open_reader(&path)?;
    let items: Vec<ScanItem> = reader.scan()?.collect::<Result<_, _>>()?;
    let torn_at = start + "three\n".len() as u64;
    assert_eq!(items.len(), 5);
    assert_eq!(
        items.last(),
        Some(&ScanItem::Torn {
            tail: TornTail {
                offset: torn_at,
                len: 2
            },
            bytes: Some(b"fo".to_vec()),
        })
    );
    assert_eq!(
        reader.last_line()?.map(|l| l.bytes),
        Some(b"three".to_vec())
    );
    match repair(&path)? {
        RepairOutcome::Repaired {
            offset, side_file, ..
        } => {
            assert_eq!(offset, torn_at);
            assert_eq!(fs::read(side_file)?, b"fo");
        }
        other => return Err(format!("expected bytes moved, got {other:?}").into()),
    }
    assert_eq!(fs::read(&path)?, &full[..torn_at as usize]);
    Ok(())
}

/// Nothing named `LOG.batch` is ever opened: not a forged marker of the older format
/// (naming the last batch as cut short), not a FIFO (which would block an open), not a
/// symlink to another file (which would be overwritten).
#[cfg(unix)]
#[test]
fn a_file_named_like_the_old_batch_marker_is_never_opened() -> Result<(), Box<dyn std::error::Error>>
{
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("m.log");
    let mut store = FileStore::create(&path, &[b"g"])?;
    let start = store.len_bytes();
    store.append(&[b"aaaa", b"bbbb", b"cccc"])?;
    let end = store.len_bytes();
    drop(store);
    let marker = dir.path().join("m.log.batch");
    let mut forged = Vec::new();
    // The older format: start, end (a range past the log's end) and their checksum.
    forged.extend_from_slice(&start.to_be_bytes());
    forged.extend_from_slice(&(end + 100).to_be_bytes());
    forged.extend_from_slice(&(start ^ (end + 100) ^ 0x6163_7461_6261_7463).to_be_bytes());
    let secret = dir.path().join("secret");
    fs::write(&secret, b"PRIVATE+KEY+stand-in\n")?;
    let fifo = |p: &Path| {
        std::process::Command::new("mkfifo")
            .arg(p)
            .status()
            .map(|s| s.success())
    };
    for (round, plant) in ["forged", "symlink", "fifo"].into_iter().enumerate() {
        let _ = fs::remove_file(&marker);
        match plant {
            "forged" => fs::write(&marker, &forged)?,
            "symlink" => std::os::unix::fs::symlink(&secret, &marker)?,
            _ => {
                if !fifo(&marker)? {
                    return Err("mkfifo failed".into());
                }
            }
        }
        let reader = FileStore::open_reader(&path)?;
        assert!(reader.torn_tail()?.is_none(), "{plant}");
        assert_eq!(reader.scan()?.count(), 4 + 2 * round, "{plant}");
        assert_eq!(repair(&path)?, RepairOutcome::Clean, "{plant}");
        let mut w = FileStore::open_writer(&path)?;
        w.append(&[b"dddd", b"eeee"])?;
        drop(w);
        assert_eq!(fs::read(&secret)?, b"PRIVATE+KEY+stand-in\n", "{plant}");
        let meta = fs::symlink_metadata(&marker)?;
        match plant {
            "forged" => assert_eq!(fs::read(&marker)?, forged),
            "symlink" => assert!(meta.file_type().is_symlink()),
            _ => {
                use std::os::unix::fs::FileTypeExt as _;
                assert!(meta.file_type().is_fifo());
            }
        }
    }
    Ok(())
}
