//! The service state machines behind `POST /<repo>/<svc>`.

use crate::store::SqliteStore;
use protocol::{Exchange, ProtocolVersion, ReceivePack, Service, UploadPack};

/// The exchange for one POST of `service` speaking `version` (from the `Git-Protocol` header).
pub fn new_exchange(service: Service, version: ProtocolVersion) -> Result<Box<dyn Exchange<SqliteStore>>, String> {
    match service {
        Service::UploadPack => Ok(Box::new(UploadPack::new(version))),
        // Push never speaks v2; v1 differs from v0 only in the advertisement.
        Service::ReceivePack => Ok(Box::new(ReceivePack::default())),
    }
}
