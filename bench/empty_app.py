"""The floor of a Dash callback round trip: an app with one callback that returns its input.

Served by waitress like the dashboard (``waitress-serve bench.empty_app:server``); the dashboard
benchmark POSTs the same ``/_dash-update-component`` request to it many times.
"""

from __future__ import annotations

from dash import Dash, Input, Output, dcc, html

app = Dash(__name__, serve_locally=True)
app.layout = html.Div([dcc.Input(id="in", value="x"), html.Div(id="out")])


@app.callback(Output("out", "children"), Input("in", "value"))
def echo(value: str) -> str:
    return value


server = app.server
