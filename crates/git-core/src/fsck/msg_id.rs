//! fsck message ids and their default severities, as listed in git's fsck.h and documented in
//! fsck-msgids (only the ids that concern objects; ref and packed-refs checks are not here).

use core::fmt;

/// How a finding counts. git's defaults (fsck.h); under `--strict` (what `receive.fsckObjects`,
/// `index-pack --strict` and `fsck --strict` use) warnings become errors, and infos are reported
/// as warnings. Only errors reject an object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    /// Parsing cannot continue; reported as an error.
    Fatal,
    /// Rejects the object.
    Error,
    /// Reported; an error under `--strict`.
    Warn,
    /// Reported as a warning even under `--strict`.
    Info,
    /// Not reported.
    Ignore,
}

/// A fsck message id (fsck-msgids); `Display` gives git's camelCase name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MsgId {
    /// `nulInHeader` (fatal by default).
    NulInHeader,
    /// `unterminatedHeader` (fatal by default).
    UnterminatedHeader,
    /// `badHeaderContinuation` (error by default).
    BadHeaderContinuation,
    /// `badDate` (error by default).
    BadDate,
    /// `badDateOverflow` (error by default).
    BadDateOverflow,
    /// `badEmail` (error by default).
    BadEmail,
    /// `badGpgsig` (error by default).
    BadGpgsig,
    /// `badName` (error by default).
    BadName,
    /// `badObjectSha1` (error by default).
    BadObjectSha1,
    /// `badParentSha1` (error by default).
    BadParentSha1,
    /// `badTimezone` (error by default).
    BadTimezone,
    /// `badTree` (error by default).
    BadTree,
    /// `badTreeSha1` (error by default).
    BadTreeSha1,
    /// `badType` (error by default).
    BadType,
    /// `duplicateEntries` (error by default).
    DuplicateEntries,
    /// `gitattributesBlob` (error by default).
    GitattributesBlob,
    /// `gitattributesLarge` (error by default).
    GitattributesLarge,
    /// `gitattributesLineLength` (error by default).
    GitattributesLineLength,
    /// `gitattributesMissing` (error by default).
    GitattributesMissing,
    /// `gitmodulesBlob` (error by default).
    GitmodulesBlob,
    /// `gitmodulesLarge` (error by default).
    GitmodulesLarge,
    /// `gitmodulesMissing` (error by default).
    GitmodulesMissing,
    /// `gitmodulesName` (error by default).
    GitmodulesName,
    /// `gitmodulesPath` (error by default).
    GitmodulesPath,
    /// `gitmodulesSymlink` (error by default).
    GitmodulesSymlink,
    /// `gitmodulesUpdate` (error by default).
    GitmodulesUpdate,
    /// `gitmodulesUrl` (error by default).
    GitmodulesUrl,
    /// `missingAuthor` (error by default).
    MissingAuthor,
    /// `missingCommitter` (error by default).
    MissingCommitter,
    /// `missingEmail` (error by default).
    MissingEmail,
    /// `missingNameBeforeEmail` (error by default).
    MissingNameBeforeEmail,
    /// `missingObject` (error by default).
    MissingObject,
    /// `missingSpaceBeforeDate` (error by default).
    MissingSpaceBeforeDate,
    /// `missingSpaceBeforeEmail` (error by default).
    MissingSpaceBeforeEmail,
    /// `missingTag` (error by default).
    MissingTag,
    /// `missingTagEntry` (error by default).
    MissingTagEntry,
    /// `missingTree` (error by default).
    MissingTree,
    /// `missingType` (error by default).
    MissingType,
    /// `missingTypeEntry` (error by default).
    MissingTypeEntry,
    /// `multipleAuthors` (error by default).
    MultipleAuthors,
    /// `treeNotSorted` (error by default).
    TreeNotSorted,
    /// `unknownType` (error by default).
    UnknownType,
    /// `zeroPaddedDate` (error by default).
    ZeroPaddedDate,
    /// `emptyName` (warn by default).
    EmptyName,
    /// `fullPathname` (warn by default).
    FullPathname,
    /// `hasDot` (warn by default).
    HasDot,
    /// `hasDotdot` (warn by default).
    HasDotdot,
    /// `hasDotgit` (warn by default).
    HasDotgit,
    /// `largePathname` (warn by default).
    LargePathname,
    /// `nullSha1` (warn by default).
    NullSha1,
    /// `nulInCommit` (warn by default).
    NulInCommit,
    /// `zeroPaddedFilemode` (warn by default).
    ZeroPaddedFilemode,
    /// `badFilemode` (info by default).
    BadFilemode,
    /// `badTagName` (info by default).
    BadTagName,
    /// `gitattributesSymlink` (info by default).
    GitattributesSymlink,
    /// `gitignoreSymlink` (info by default).
    GitignoreSymlink,
    /// `gitmodulesParse` (info by default).
    GitmodulesParse,
    /// `mailmapSymlink` (info by default).
    MailmapSymlink,
    /// `missingTaggerEntry` (info by default).
    MissingTaggerEntry,
    /// `extraHeaderEntry` (ignore by default).
    ExtraHeaderEntry,
}

impl MsgId {
    /// Every id, in fsck.h order.
    pub const ALL: [MsgId; 60] = [MsgId::NulInHeader, MsgId::UnterminatedHeader, MsgId::BadHeaderContinuation, MsgId::BadDate, MsgId::BadDateOverflow, MsgId::BadEmail, MsgId::BadGpgsig, MsgId::BadName, MsgId::BadObjectSha1, MsgId::BadParentSha1, MsgId::BadTimezone, MsgId::BadTree, MsgId::BadTreeSha1, MsgId::BadType, MsgId::DuplicateEntries, MsgId::GitattributesBlob, MsgId::GitattributesLarge, MsgId::GitattributesLineLength, MsgId::GitattributesMissing, MsgId::GitmodulesBlob, MsgId::GitmodulesLarge, MsgId::GitmodulesMissing, MsgId::GitmodulesName, MsgId::GitmodulesPath, MsgId::GitmodulesSymlink, MsgId::GitmodulesUpdate, MsgId::GitmodulesUrl, MsgId::MissingAuthor, MsgId::MissingCommitter, MsgId::MissingEmail, MsgId::MissingNameBeforeEmail, MsgId::MissingObject, MsgId::MissingSpaceBeforeDate, MsgId::MissingSpaceBeforeEmail, MsgId::MissingTag, MsgId::MissingTagEntry, MsgId::MissingTree, MsgId::MissingType, MsgId::MissingTypeEntry, MsgId::MultipleAuthors, MsgId::TreeNotSorted, MsgId::UnknownType, MsgId::ZeroPaddedDate, MsgId::EmptyName, MsgId::FullPathname, MsgId::HasDot, MsgId::HasDotdot, MsgId::HasDotgit, MsgId::LargePathname, MsgId::NullSha1, MsgId::NulInCommit, MsgId::ZeroPaddedFilemode, MsgId::BadFilemode, MsgId::BadTagName, MsgId::GitattributesSymlink, MsgId::GitignoreSymlink, MsgId::GitmodulesParse, MsgId::MailmapSymlink, MsgId::MissingTaggerEntry, MsgId::ExtraHeaderEntry];

    /// git's camelCase name (`badTimezone`), as used in messages and `fsck.<msg-id>` settings.
    pub fn name(self) -> &'static str {
        let i = self as usize;
        let (start, end) = (NAME_ENDS.get(i).copied().unwrap_or(0), NAME_ENDS.get(i + 1).copied().unwrap_or(0));
        NAMES.get(usize::from(start)..usize::from(end)).unwrap_or("")
    }

    /// The severity git gives the id when not configured otherwise.
    pub const fn default_severity(self) -> Severity {
        match self {
            MsgId::NulInHeader | MsgId::UnterminatedHeader => Severity::Fatal,
            MsgId::BadHeaderContinuation | MsgId::BadDate | MsgId::BadDateOverflow | MsgId::BadEmail | MsgId::BadGpgsig | MsgId::BadName | MsgId::BadObjectSha1 | MsgId::BadParentSha1 | MsgId::BadTimezone | MsgId::BadTree | MsgId::BadTreeSha1 | MsgId::BadType | MsgId::DuplicateEntries | MsgId::GitattributesBlob | MsgId::GitattributesLarge | MsgId::GitattributesLineLength | MsgId::GitattributesMissing | MsgId::GitmodulesBlob | MsgId::GitmodulesLarge | MsgId::GitmodulesMissing | MsgId::GitmodulesName | MsgId::GitmodulesPath | MsgId::GitmodulesSymlink | MsgId::GitmodulesUpdate | MsgId::GitmodulesUrl | MsgId::MissingAuthor | MsgId::MissingCommitter | MsgId::MissingEmail | MsgId::MissingNameBeforeEmail | MsgId::MissingObject | MsgId::MissingSpaceBeforeDate | MsgId::MissingSpaceBeforeEmail | MsgId::MissingTag | MsgId::MissingTagEntry | MsgId::MissingTree | MsgId::MissingType | MsgId::MissingTypeEntry | MsgId::MultipleAuthors | MsgId::TreeNotSorted | MsgId::UnknownType | MsgId::ZeroPaddedDate => Severity::Error,
            MsgId::EmptyName | MsgId::FullPathname | MsgId::HasDot | MsgId::HasDotdot | MsgId::HasDotgit | MsgId::LargePathname | MsgId::NullSha1 | MsgId::NulInCommit | MsgId::ZeroPaddedFilemode => Severity::Warn,
            MsgId::BadFilemode | MsgId::BadTagName | MsgId::GitattributesSymlink | MsgId::GitignoreSymlink | MsgId::GitmodulesParse | MsgId::MailmapSymlink | MsgId::MissingTaggerEntry => Severity::Info,
            MsgId::ExtraHeaderEntry => Severity::Ignore,
        }
    }

    /// Look an id up by name, ignoring case (git accepts `fsck.badtimezone` too).
    pub fn from_name(name: &str) -> Option<MsgId> {
        MsgId::ALL.iter().copied().find(|id| id.name().eq_ignore_ascii_case(name))
    }
}

/// The names in declaration order (fsck.h order). Only read at compile time: the module keeps
/// [`NAMES`] and [`NAME_ENDS`], one string and 122 bytes of offsets instead of a 60-arm match's
/// table of pointers and lengths.
const NAME_LIST: [&str; 60] = [
    "nulInHeader",
    "unterminatedHeader",
    "badHeaderContinuation",
    "badDate",
    "badDateOverflow",
    "badEmail",
    "badGpgsig",
    "badName",
    "badObjectSha1",
    "badParentSha1",
    "badTimezone",
    "badTree",
    "badTreeSha1",
    "badType",
    "duplicateEntries",
    "gitattributesBlob",
    "gitattributesLarge",
    "gitattributesLineLength",
    "gitattributesMissing",
    "gitmodulesBlob",
    "gitmodulesLarge",
    "gitmodulesMissing",
    "gitmodulesName",
    "gitmodulesPath",
    "gitmodulesSymlink",
    "gitmodulesUpdate",
    "gitmodulesUrl",
    "missingAuthor",
    "missingCommitter",
    "missingEmail",
    "missingNameBeforeEmail",
    "missingObject",
    "missingSpaceBeforeDate",
    "missingSpaceBeforeEmail",
    "missingTag",
    "missingTagEntry",
    "missingTree",
    "missingType",
    "missingTypeEntry",
    "multipleAuthors",
    "treeNotSorted",
    "unknownType",
    "zeroPaddedDate",
    "emptyName",
    "fullPathname",
    "hasDot",
    "hasDotdot",
    "hasDotgit",
    "largePathname",
    "nullSha1",
    "nulInCommit",
    "zeroPaddedFilemode",
    "badFilemode",
    "badTagName",
    "gitattributesSymlink",
    "gitignoreSymlink",
    "gitmodulesParse",
    "mailmapSymlink",
    "missingTaggerEntry",
    "extraHeaderEntry",
];

/// Every name back to back, in [`NAME_LIST`] order.
static NAMES: &str = match core::str::from_utf8(&NAME_BYTES) {
    Ok(s) => s,
    Err(_) => panic!("msg id names are ASCII"),
};

static NAME_BYTES: [u8; PACKED_LEN] = PACKED.0;

/// `NAMES[NAME_ENDS[i]..NAME_ENDS[i + 1]]` is the name of the id with discriminant `i`.
static NAME_ENDS: [u16; 61] = PACKED.1;

const PACKED_LEN: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < NAME_LIST.len() {
        n += NAME_LIST[i].len();
        i += 1;
    }
    n
};

const PACKED: ([u8; PACKED_LEN], [u16; 61]) = {
    let mut bytes = [0u8; PACKED_LEN];
    let mut ends = [0u16; 61];
    let mut at = 0;
    let mut i = 0;
    while i < NAME_LIST.len() {
        let name = NAME_LIST[i].as_bytes();
        let mut j = 0;
        while j < name.len() {
            bytes[at] = name[j];
            at += 1;
            j += 1;
        }
        ends[i + 1] = at as u16;
        i += 1;
    }
    (bytes, ends)
};

impl fmt::Display for MsgId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for id in MsgId::ALL {
            assert_eq!(MsgId::from_name(id.name()), Some(id));
        }
        assert_eq!(MsgId::from_name("BADTIMEZONE"), Some(MsgId::BadTimezone));
        assert_eq!(MsgId::HasDotgit.default_severity(), Severity::Warn);
        assert_eq!(MsgId::BadTagName.default_severity(), Severity::Info);
    }
}
