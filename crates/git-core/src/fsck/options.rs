//! Options, findings and the report/error types of a check.

use super::msg_id::{MsgId, Severity};
use crate::OidSet;
use alloc::string::String;
use alloc::vec::Vec;

/// How to check. The default is git's `--strict`, as `receive.fsckObjects` uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FsckOptions {
    /// `--strict`: warnings count as errors, and mode `100664` is a `badFilemode`.
    pub strict: bool,
    /// `fsck.<msg-id>` / `receive.fsck.<msg-id>` settings: replace an id's severity.
    pub overrides: Vec<(MsgId, Severity)>,
    /// Longest tree entry name before `largePathname` (git's `fsck.largePathname`, 4096).
    pub max_path_len: usize,
    /// Largest `.gitmodules` blob that is parsed; larger ones are `gitmodulesLarge` (git can
    /// only parse what it loads into memory: `core.bigFileThreshold`, 512 MiB).
    pub max_gitmodules_size: usize,
}

impl Default for FsckOptions {
    fn default() -> Self {
        FsckOptions { strict: true, overrides: Vec::new(), max_path_len: 4096, max_gitmodules_size: 512 << 20 }
    }
}

impl FsckOptions {
    /// git's `--strict` defaults.
    pub fn strict() -> Self {
        Self::default()
    }
    /// Plain `git fsck` defaults (warnings stay warnings).
    pub fn lenient() -> Self {
        FsckOptions { strict: false, ..Self::default() }
    }
    /// The severity `id` has under these options: `Error`, `Warn` or `Ignore` (as fsck.c's
    /// `fsck_vreport` maps fatal to error and info to warning).
    pub fn severity(&self, id: MsgId) -> Severity {
        let configured = self.overrides.iter().rev().find(|(i, _)| *i == id).map(|(_, s)| *s);
        let base = configured.unwrap_or_else(|| match id.default_severity() {
            Severity::Warn if self.strict => Severity::Error,
            other => other,
        });
        match base {
            Severity::Fatal => Severity::Error,
            Severity::Info => Severity::Warn,
            other => other,
        }
    }
    /// Record a finding: `Err` if it counts as an error, else kept as a warning (or dropped if
    /// ignored). Details are `&str` at every call site, never a generic.
    #[inline(never)]
    pub fn report(&self, id: MsgId, detail: &str, report: &mut FsckReport) -> Result<(), FsckError> {
        // The one detail builder, with nothing to add.
        self.report_parts(id, detail, &[], "", report)
    }

    /// [`FsckOptions::report`] with the detail `prefix` followed by `value` (invalid UTF-8
    /// replaced), as git prints a name or value it objects to.
    #[inline(never)]
    pub(super) fn report_value(&self, id: MsgId, prefix: &str, value: &[u8], report: &mut FsckReport) -> Result<(), FsckError> {
        self.report_parts(id, prefix, value, "", report)
    }

    /// [`FsckOptions::report`] with the detail `before`, `value` (invalid UTF-8 replaced) and
    /// `after`.
    #[inline(never)]
    pub(super) fn report_parts(
        &self,
        id: MsgId,
        before: &str,
        value: &[u8],
        after: &str,
        report: &mut FsckReport,
    ) -> Result<(), FsckError> {
        let mut detail = String::from(before);
        crate::msg::Msg::new(&mut detail).lossy(value);
        detail.push_str(after);
        self.report_owned(id, detail, report)
    }

    #[inline(never)]
    pub(super) fn report_owned(&self, id: MsgId, detail: String, report: &mut FsckReport) -> Result<(), FsckError> {
        let finding = Finding { id, detail };
        match self.severity(id) {
            Severity::Ignore => Ok(()),
            // severity() only gives Error, Warn or Ignore.
            Severity::Warn | Severity::Info => {
                report.warnings.push(finding);
                Ok(())
            }
            Severity::Error | Severity::Fatal => Err(FsckError(alloc::boxed::Box::new(finding))),
        }
    }
}

/// A reported problem: the id and git's description of it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub id: MsgId,
    pub detail: String,
}

/// What passing checks found. [`super::check_object_into`] adds to it object after object.
#[derive(Clone, Debug, Default)]
pub struct FsckReport {
    /// Findings below error severity, in git's order.
    pub warnings: Vec<Finding>,
    /// Blobs a tree names `.gitmodules` (not symlinks), each once, in the order first named:
    /// check with `check_gitmodules_blob`.
    pub gitmodules: OidSet,
    /// Blobs a tree names `.gitattributes` (not symlinks), likewise: check with
    /// `check_gitattributes_blob`.
    pub gitattributes: OidSet,
    /// The ids the objects name, each once, in the order first named: a commit's tree and
    /// parents, a tree's entries except gitlinks (submodule commits live in another repository),
    /// a tag's object (git's `fsck_walk`; what connectivity must find). Read from the lines the
    /// checks parse anyway; complete for every object that passed (an unreadable line is a
    /// finding, an error unless configured otherwise).
    pub links: OidSet,
}

/// An object git would reject. Displays as git does after the object id: `<msgId>: <detail>`.
/// One pointer to the [`Finding`] (its `id` and `detail` are reached through `Deref`), so every
/// `?` of the checks moves that instead of an id and a `String`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct FsckError(alloc::boxed::Box<Finding>);


impl crate::msg::Describe for FsckError {
    fn describe(&self, m: &mut crate::msg::Msg<'_>) {
        m.s(self.id.name()).s(": ").s(&self.detail);
    }
}
crate::display_via_describe!(FsckError);

impl core::ops::Deref for FsckError {
    type Target = Finding;
    fn deref(&self) -> &Finding {
        &self.0
    }
}
