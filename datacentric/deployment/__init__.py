"""After deployment: a drifting stream of weekly batches, monitoring them, and labelling new data on a budget."""
