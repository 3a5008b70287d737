"""What predicts: the registry of the course's models (`registry`: each model's facts, by name), the Keras layers
they are built from, the keyword baseline, and each model's training budget. Imports `common` and `data`."""
