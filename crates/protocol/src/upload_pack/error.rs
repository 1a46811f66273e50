//! The error the upload-pack code passes up: an [`ExchangeError`] behind a `Box`, so a `Result`
//! carrying it is one pointer wide and each `?` moves a pointer, not the 16-byte enum. It is
//! unboxed once, where the [`crate::service::Exchange`] methods return.

use crate::service::ExchangeError;
use alloc::boxed::Box;
use git_core::ObjectId;
use host_abi::StoreError;

/// A boxed [`ExchangeError`].
pub struct Failed(pub Box<ExchangeError>);

/// Results inside upload-pack.
pub type Res<T> = Result<T, Failed>;

impl From<ExchangeError> for Failed {
    #[cold]
    #[inline(never)]
    fn from(e: ExchangeError) -> Self {
        Failed(Box::new(e))
    }
}

impl From<StoreError> for Failed {
    #[cold]
    #[inline(never)]
    fn from(e: StoreError) -> Self {
        Failed(Box::new(ExchangeError::Store(e)))
    }
}

impl From<pack::writer::WriteError> for Failed {
    #[cold]
    #[inline(never)]
    fn from(e: pack::writer::WriteError) -> Self {
        Failed(Box::new(ExchangeError::from(e)))
    }
}

/// [`ExchangeError::Corrupt`]: the stored object `id` cannot be used as `what` says.
#[cold]
#[inline(never)]
pub fn corrupt(id: &ObjectId, what: &'static str) -> Failed {
    Failed(Box::new(ExchangeError::corrupt(*id, what)))
}

/// Unbox at the [`crate::service::Exchange`] boundary.
#[inline(never)]
pub fn unbox<T>(r: Res<T>) -> Result<T, ExchangeError> {
    r.map_err(|f| *f.0)
}
