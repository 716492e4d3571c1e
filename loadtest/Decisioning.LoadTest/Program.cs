return await Decisioning.LoadTest.LoadTestRunner.RunAsync(args);
