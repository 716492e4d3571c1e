return await Decisioning.Cli.CliRunner.RunAsync(args);
