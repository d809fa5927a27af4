//! C2SP signed notes, checkpoints and cosignatures (being written).
