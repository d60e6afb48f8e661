import Torch
func runDCGAN(steps: Int) -> PortedRun { PortedRun() }
func runReinforce(episodes: Int) -> PortedRun { PortedRun() }
