"""The facilitator's area, outside the admin: sessions, the live board, the group's view
for the projector, reports. Staff see only their own organisations' sessions."""
