//! Binary deltas ("bdiff" patches): applying a chain of them to a base text.
