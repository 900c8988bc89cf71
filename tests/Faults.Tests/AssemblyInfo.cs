// Every test here kills, restarts or slows storage and hosts, and measures how long recovery takes: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

// Every test here starts Azurite and hosts: the full lane only (./bench test; ./bench test --fast leaves this project out).
[assembly: AssemblyTrait(TestLane.Trait, TestLane.Full)]
