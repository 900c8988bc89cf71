// Every test here kills, restarts or slows storage and hosts, and measures how long recovery takes: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
