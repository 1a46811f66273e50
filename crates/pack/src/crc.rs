//! crc32 (the zlib/IEEE polynomial) of pack entries, as idx v2 records it (gitformat-pack "crc32
//! checksum of the packed object data"). Backed by `crc32fast` (no_std; SIMD where the CPU has it,
//! a slice-by-16 table otherwise, which is what Wasm gets).

/// crc32 of `data`.
pub fn crc32(data: &[u8]) -> u32 {
    crc32fast::hash(data)
}
