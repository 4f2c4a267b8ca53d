//! What the examples share: the real dataset, read from `SOUNDSTREAM_DATA_DIR`.

use std::path::PathBuf;

use soundstream_recommend::TrainingData;

/// The dataset in `SOUNDSTREAM_DATA_DIR`, as training data (the parsed dataset is dropped).
pub fn training_data() -> TrainingData {
    let dir = PathBuf::from(std::env::var("SOUNDSTREAM_DATA_DIR").expect("SOUNDSTREAM_DATA_DIR"));
    let dataset = soundstream_import::read_dataset(&dir)
        .expect("dataset")
        .dataset;
    TrainingData::from_dataset(&dataset)
}
