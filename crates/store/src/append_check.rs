//! The append check: the rules of a log's domain, run by the [`LogWriter`] on every entry it
//! is about to sign.
//!
//! A log's genesis may name a domain (its `domain` member, [`acta_core::Chain::domain`]):
//! the vocabulary of its entries and the rules they must keep, which the core format does not
//! know. So that no program can append to such a log without those rules, a [`LogWriter`]
//! refuses every append to it ([`LogError::NoAppendCheck`], nothing written) until an
//! [`AppendCheck`] for that domain is installed ([`LogWriter::with_append_check`]); a log
//! whose genesis names no domain needs none, and takes none. acta-domain's `DomainCheck` is
//! the check of `icc-noncooperation/v1`.
//!
//! A program that must write to a domain log without its rules (a fixture builder writing
//! the rule-breaking entries of attack tests; a tool appending to a log of a domain it does
//! not know) says so by installing [`Unchecked::for_domain`]: skipping the rules is then a
//! choice written in the code, never the result of forgetting them.
//!
//! The writer calls the check for each entry of [`LogWriter::append`],
//! [`LogWriter::append_batch`] and [`LogWriter::append_stream`], in order, before the entry is
//! signed and before anything of the append is written, with exactly what will be signed: the
//! type, the data, the author and the `recorded_at` text ([`Proposed`]). The check may refuse
//! the entry (the append is then refused as a whole, [`LogError::CheckRefused`], and nothing
//! is written) or accept it with warnings, which the writer hands to the caller as data
//! ([`AppendWarning`]: [`LogWriter::take_warnings`], or a sink set with
//! [`LogWriter::set_warning_sink`]). It sees every entry of the append, the core's own
//! `acta.*` entries included (so that it can count them); a domain check leaves those to the
//! core.
//!
//! The word "check" is chosen on purpose: "rules" in this project already names both the
//! field checks of one entry and a domain's invariants, and "state" the writer's sidecar.
//!
//! [`LogWriter`]: crate::LogWriter
//! [`LogWriter::append`]: crate::LogWriter::append
//! [`LogWriter::append_batch`]: crate::LogWriter::append_batch
//! [`LogWriter::append_stream`]: crate::LogWriter::append_stream
//! [`LogWriter::with_append_check`]: crate::LogWriter::with_append_check
//! [`LogWriter::take_warnings`]: crate::LogWriter::take_warnings
//! [`LogWriter::set_warning_sink`]: crate::LogWriter::set_warning_sink
//! [`LogError::NoAppendCheck`]: crate::LogError::NoAppendCheck
//! [`Unchecked::for_domain`]: Unchecked::for_domain
//! [`LogError::CheckRefused`]: crate::LogError::CheckRefused

use acta_core::json::Object;
use acta_core::verify::Head;

/// Why a check refused an entry, or could not check at all: the check's own typed error,
/// which the caller may downcast to tell its kinds apart.
pub type CheckError = Box<dyn std::error::Error + Send + Sync>;

/// The log an append goes to, as the writer verified it, for [`AppendCheck::begin`] and
/// [`AppendCheck::appended`].
#[derive(Debug, Clone, Copy)]
pub struct LogView<'a, S: ?Sized> {
    /// The store the writer appends to (for a check that replays the log).
    pub store: &'a S,
    /// The origin the genesis names.
    pub origin: &'a str,
    /// The log's head: its last entry's seq and hash (after the append, for
    /// [`AppendCheck::appended`]).
    pub head: Head,
}

impl<S: ?Sized> LogView<'_, S> {
    /// The number of entries the log has (the next entry's `seq`).
    pub fn size(&self) -> u64 {
        self.head.seq.saturating_add(1)
    }
}

/// One entry the writer is about to sign: exactly what will be signed.
#[derive(Debug, Clone, Copy)]
pub struct Proposed<'a> {
    /// Its index in the append (0 for [`LogWriter::append`](crate::LogWriter::append)).
    pub index: usize,
    /// The `seq` it will have.
    pub seq: u64,
    /// Its type.
    pub entry_type: &'a str,
    /// Its data.
    pub data: &'a Object,
    /// The key that will sign it (`NAME+id`).
    pub author: &'a str,
    /// Its `recorded_at`: the text that will be signed (every entry of one append has the
    /// same).
    pub recorded_at: &'a str,
}

/// A warning about an accepted entry, as the check gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckWarning {
    /// A stable code for it (the check's vocabulary).
    pub code: String,
    /// What it says.
    pub message: String,
}

/// A warning about an entry of an append, as the writer hands it to its caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppendWarning {
    /// The entry's index in the append.
    pub index: usize,
    /// The `seq` it has (or would have had, if the append failed later).
    pub seq: u64,
    /// The warning.
    pub warning: CheckWarning,
}

/// The rules of a domain, checked by the writer on every entry it appends to a log whose
/// genesis names that domain (see the [module documentation](self)).
///
/// For each append the writer calls [`begin`](AppendCheck::begin), then
/// [`check`](AppendCheck::check) for the entries in order (it may stop early: a refusal, an
/// entry that cannot be built), then either [`appended`](AppendCheck::appended), once the
/// append is durable, or [`abandoned`](AppendCheck::abandoned), if it failed and nothing was
/// written. `S` is the writer's store.
pub trait AppendCheck<S: ?Sized>: Send {
    /// The domain whose rules this is: exactly the `domain` member of the genesis of the logs
    /// it may check.
    fn domain(&self) -> &str;

    /// Called before the first entry of every append, with the log as the writer verified it.
    /// The check brings what it knows up to this head (the check of entry `seq` must be made
    /// against entries `0..seq`), or refuses: the append is then refused as a whole
    /// ([`LogError::CheckUnavailable`](crate::LogError::CheckUnavailable)).
    fn begin(&mut self, log: &LogView<'_, S>) -> Result<(), CheckError>;

    /// Checks the next entry, as if appended after the log and the entries of this append
    /// checked before it. `Err` refuses it (and so the whole append); `Ok` accepts it with
    /// these warnings.
    fn check(&mut self, entry: &Proposed<'_>) -> Result<Vec<CheckWarning>, CheckError>;

    /// Called once an append is durable: `log` is the log with it. A failure here is the
    /// check's to handle (the append has succeeded).
    fn appended(&mut self, log: &LogView<'_, S>);

    /// Called when an append that [`begin`](AppendCheck::begin) started failed: nothing of it
    /// was written, and the entries checked since are to be forgotten.
    fn abandoned(&mut self);
}

/// The explicit opt-out of a domain's rules: an [`AppendCheck`] that accepts every entry of
/// a log whose genesis names `domain`, without warnings (see the
/// [module documentation](self)). For programs that must write what the rules would refuse
/// (fixtures of attack tests), or that append to a log of a domain they do not know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchecked {
    domain: String,
}

impl Unchecked {
    /// The opt-out for logs whose genesis names `domain`.
    pub fn for_domain(domain: impl Into<String>) -> Unchecked {
        Unchecked {
            domain: domain.into(),
        }
    }
}

impl<S: ?Sized> AppendCheck<S> for Unchecked {
    fn domain(&self) -> &str {
        &self.domain
    }

    fn begin(&mut self, _log: &LogView<'_, S>) -> Result<(), CheckError> {
        Ok(())
    }

    fn check(&mut self, _entry: &Proposed<'_>) -> Result<Vec<CheckWarning>, CheckError> {
        Ok(Vec::new())
    }

    fn appended(&mut self, _log: &LogView<'_, S>) {}

    fn abandoned(&mut self) {}
}
