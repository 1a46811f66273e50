//! Malformed input: pkt-line framing, v0 requests, v2 commands. Every case must end in an error
//! the client can print (`ERR ...`) or an `ExchangeError`, never a panic or a hang.

mod support;

use protocol::pktline::{decode, PktError};
use protocol::service::ProtocolVersion;
use protocol::UploadPack;
use support::*;

mod malformed {
    use super::*;

    fn run(v: ProtocolVersion, req: &[u8]) -> Vec<String> {
        let mut store = host_abi::MemStore::new();
        let mut up = UploadPack::new(v);
        let out = drive(&mut up, &mut store, req).expect("protocol errors are not exchange errors");
        parse_response(&out, false, v == ProtocolVersion::V2).lines
    }

    #[test]
    fn pkt_line_framing() {
        assert_eq!(decode(b"00zz"), Err(PktError::BadLength(*b"00zz")));
        assert_eq!(decode(b"0003"), Err(PktError::Reserved(3)));
        assert_eq!(
            decode(b"fff1").map_err(|e| e.to_string()),
            Err("pkt-line too long: got 65521 bytes, limit 65520".to_string())
        );
        assert_eq!(run(ProtocolVersion::V0, b"00zzwant"), ["ERR pkt-line length is not 4 hex digits: got \"00zz\""]);
        assert_eq!(run(ProtocolVersion::V2, b"0003"), ["ERR pkt-line length 3 is reserved and invalid"]);
        // A request cut inside a pkt-line.
        assert_eq!(run(ProtocolVersion::V2, b"0014command=ls-r"), ["ERR protocol error: request ends inside a pkt-line"]);
    }

    #[test]
    fn v0_requests() {
        assert_eq!(
            run(ProtocolVersion::V0, &request(&["want 12345", "0000"])),
            ["ERR git upload-pack: protocol error, expected to get object ID, not '12345'"]
        );
        assert_eq!(
            run(ProtocolVersion::V0, &request(&["hello", "0000"])),
            ["ERR git upload-pack: protocol error, expected to get object ID, not 'hello'"]
        );
        assert_eq!(
            run(ProtocolVersion::V0, &request(&["have 1111111111111111111111111111111111111111", "0000"])),
            ["ERR git upload-pack: protocol error, expected to get object ID, not 'have 1111111111111111111111111111111111111111'"]
        );
        // A `have` among the wants whose id does not parse: its own error, and only that.
        assert_eq!(
            run(ProtocolVersion::V0, &request(&["have zz", "0000"])),
            ["ERR git upload-pack: protocol error, expected to get object ID, not 'zz'"]
        );
        assert_eq!(
            run(ProtocolVersion::V0, &request(&["deepen x", "0000"])),
            ["ERR git upload-pack: invalid deepen: deepen x"]
        );
        assert_eq!(run(ProtocolVersion::V0, b"0001"), ["ERR protocol error: unexpected delim-pkt"]);
    }

    #[test]
    fn v0_haves() {
        let fx = fixture();
        let mut store = load_store(fx.path());
        let want = format!("want {} multi_ack_detailed", fx.rev("main"));
        for (line, err) in [
            ("have zz", "ERR git upload-pack: expected SHA1 object, got 'zz'"),
            ("bogus", "ERR git upload-pack: expected SHA1 list, got 'bogus'"),
        ] {
            let mut up = UploadPack::new(ProtocolVersion::V0);
            let out = drive(&mut up, &mut store, &request(&[&want, "0000", line, "done"])).expect("ok");
            assert_eq!(parse_response(&out, false, false).lines, [err]);
        }
    }

    #[test]
    fn v2_commands() {
        assert_eq!(run(ProtocolVersion::V2, &request(&["command=push", "0000"])), ["ERR invalid command 'push'"]);
        assert_eq!(run(ProtocolVersion::V2, &request(&["frobnicate", "0000"])), ["ERR unknown capability 'frobnicate'"]);
        assert_eq!(
            run(ProtocolVersion::V2, &request(&["command=ls-refs", "object-format=sha256", "0000"])),
            ["ERR mismatched object format: server sha1; client sha256"]
        );
        assert_eq!(
            run(ProtocolVersion::V2, &request(&["command=ls-refs", "0001", "peel", "bogus", "0000"])),
            ["ERR unexpected line: 'bogus'"]
        );
        assert_eq!(
            run(ProtocolVersion::V2, &request(&["command=fetch", "0001", "want nothex", "0000"])),
            ["ERR git upload-pack: protocol error, expected to get object ID, not 'nothex'"]
        );
        assert_eq!(
            run(ProtocolVersion::V2, &request(&["command=fetch", "0001", "filter sparse:path=x", "0000"])),
            ["ERR invalid filter-spec 'sparse:path=x'"]
        );
        assert_eq!(
            run(ProtocolVersion::V2, &request(&["command=fetch", "0001", "want 4444444444444444444444444444444444444444", "done", "0000"])),
            ["ERR upload-pack: not our ref 4444444444444444444444444444444444444444"]
        );
        assert_eq!(run(ProtocolVersion::V2, &request(&["command=fetch", "0001", "0002"])), ["ERR protocol error: unexpected response-end-pkt"]);
        // No command at all: nothing.
        assert!(run(ProtocolVersion::V2, b"0000").is_empty());
    }
}
