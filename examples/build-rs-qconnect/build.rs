//! Generates `$OUT_DIR/qconnect.rs` with only the operations this crate calls.

fn main() {
    awsgen_generator::build::Builder::new()
        .model_dir("../../models/qconnect")
        .operations(["StartImportJob", "GetImportJob", "ListImportJobs"])
        // The module `src/lib.rs` includes the file in; this is also the default.
        .root_path("crate::qconnect")
        // Prints the model error (file and JSON path) or the unknown operation with close
        // matches, and exits 1: no panic, no backtrace.
        .generate_or_exit();
}
