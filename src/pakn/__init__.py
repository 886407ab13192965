"""PAKN: người dân phản ánh, kiến nghị, khiếu nại, tố cáo; cơ quan tiếp nhận và giải quyết đúng hạn."""

__version__ = "0.1.0"
