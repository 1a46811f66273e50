//! The service state machines behind `POST /<repo>/<svc>`.

use crate::store::SqliteStore;
use protocol::{Exchange, ProtocolVersion, Service};

/// The exchange for one POST of `service` speaking `version` (from the `Git-Protocol` header).
pub fn new_exchange(service: Service, version: ProtocolVersion) -> Result<Box<dyn Exchange<SqliteStore>>, String> {
    let _ = version;
    Err(format!("{} is not implemented yet", service.name()))
}
