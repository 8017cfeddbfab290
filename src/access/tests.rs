//! Tests of access as code: the file, the snapshot, the plan, the diff.
