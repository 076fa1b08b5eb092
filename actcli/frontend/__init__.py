"""What the front ends (the Typer CLI, the Textual explorer, the web page, notebooks,
`import actcli`) share: the Environment and one module per job behind them (values,
compare, drawing, depth, describe, stats, view, page, notebook, watch), so that a front
end declares its inputs and calls a job, and holds no application logic.
"""
