"""Devices that connect over Edge Impulse's remote-management WebSocket, and remote sampling."""
