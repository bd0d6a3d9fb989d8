"""The Network tab: what every unit computes, and each layer's health over the run."""
