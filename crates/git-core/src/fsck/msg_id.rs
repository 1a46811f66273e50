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
    pub const fn name(self) -> &'static str {
        match self {
            MsgId::NulInHeader => "nulInHeader",
            MsgId::UnterminatedHeader => "unterminatedHeader",
            MsgId::BadHeaderContinuation => "badHeaderContinuation",
            MsgId::BadDate => "badDate",
            MsgId::BadDateOverflow => "badDateOverflow",
            MsgId::BadEmail => "badEmail",
            MsgId::BadGpgsig => "badGpgsig",
            MsgId::BadName => "badName",
            MsgId::BadObjectSha1 => "badObjectSha1",
            MsgId::BadParentSha1 => "badParentSha1",
            MsgId::BadTimezone => "badTimezone",
            MsgId::BadTree => "badTree",
            MsgId::BadTreeSha1 => "badTreeSha1",
            MsgId::BadType => "badType",
            MsgId::DuplicateEntries => "duplicateEntries",
            MsgId::GitattributesBlob => "gitattributesBlob",
            MsgId::GitattributesLarge => "gitattributesLarge",
            MsgId::GitattributesLineLength => "gitattributesLineLength",
            MsgId::GitattributesMissing => "gitattributesMissing",
            MsgId::GitmodulesBlob => "gitmodulesBlob",
            MsgId::GitmodulesLarge => "gitmodulesLarge",
            MsgId::GitmodulesMissing => "gitmodulesMissing",
            MsgId::GitmodulesName => "gitmodulesName",
            MsgId::GitmodulesPath => "gitmodulesPath",
            MsgId::GitmodulesSymlink => "gitmodulesSymlink",
            MsgId::GitmodulesUpdate => "gitmodulesUpdate",
            MsgId::GitmodulesUrl => "gitmodulesUrl",
            MsgId::MissingAuthor => "missingAuthor",
            MsgId::MissingCommitter => "missingCommitter",
            MsgId::MissingEmail => "missingEmail",
            MsgId::MissingNameBeforeEmail => "missingNameBeforeEmail",
            MsgId::MissingObject => "missingObject",
            MsgId::MissingSpaceBeforeDate => "missingSpaceBeforeDate",
            MsgId::MissingSpaceBeforeEmail => "missingSpaceBeforeEmail",
            MsgId::MissingTag => "missingTag",
            MsgId::MissingTagEntry => "missingTagEntry",
            MsgId::MissingTree => "missingTree",
            MsgId::MissingType => "missingType",
            MsgId::MissingTypeEntry => "missingTypeEntry",
            MsgId::MultipleAuthors => "multipleAuthors",
            MsgId::TreeNotSorted => "treeNotSorted",
            MsgId::UnknownType => "unknownType",
            MsgId::ZeroPaddedDate => "zeroPaddedDate",
            MsgId::EmptyName => "emptyName",
            MsgId::FullPathname => "fullPathname",
            MsgId::HasDot => "hasDot",
            MsgId::HasDotdot => "hasDotdot",
            MsgId::HasDotgit => "hasDotgit",
            MsgId::LargePathname => "largePathname",
            MsgId::NullSha1 => "nullSha1",
            MsgId::NulInCommit => "nulInCommit",
            MsgId::ZeroPaddedFilemode => "zeroPaddedFilemode",
            MsgId::BadFilemode => "badFilemode",
            MsgId::BadTagName => "badTagName",
            MsgId::GitattributesSymlink => "gitattributesSymlink",
            MsgId::GitignoreSymlink => "gitignoreSymlink",
            MsgId::GitmodulesParse => "gitmodulesParse",
            MsgId::MailmapSymlink => "mailmapSymlink",
            MsgId::MissingTaggerEntry => "missingTaggerEntry",
            MsgId::ExtraHeaderEntry => "extraHeaderEntry",
        }
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
