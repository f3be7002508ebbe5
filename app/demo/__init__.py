"""Demo data for Closeloop: a Xiamen area tree, enterprises and finding templates."""
