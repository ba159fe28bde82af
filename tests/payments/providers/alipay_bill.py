"""Alipay's trade bill (对账单) as its download URL serves it, for the reconciliation tests."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _now() -> str:
    return datetime.now(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


def bill_archive(day: str, rows: list[list[str]]) -> bytes:
    """A trade bill as Alipay serves it: a zip holding GBK CSVs, the detail one with a banner,
    a header row, one row per payment or refund, then the totals."""
    header = [
        "支付宝交易号",
        "商户订单号",
        "业务类型",
        "商品名称",
        "创建时间",
        "完成时间",
        "门店编号",
        "门店名称",
        "操作员",
        "终端号",
        "对方账户",
        "订单金额（元）",
        "商家实收（元）",
        "支付宝红包（元）",
        "集分宝（元）",
        "支付宝优惠（元）",
        "商家优惠（元）",
        "券核销金额（元）",
        "券名称",
        "商家红包消费金额（元）",
        "卡消费金额（元）",
        "退款批次号/请求号",
        "服务费（元）",
        "分润（元）",
        "备注",
    ]
    buffer = io.StringIO()
    buffer.write("#支付宝业务明细查询\n#账号：[20880000000000010156]\n")
    buffer.write(f"#起始日期：[{day} 00:00:00]   终止日期：[{day} 23:59:59]\n")
    buffer.write(
        "#-----------------------------------------业务明细列表----------------------------------------\n"
    )
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    buffer.write(
        "#-----------------------------------------业务明细列表结束------------------------------------\n"
    )
    buffer.write(f"#交易合计：{len(rows)}笔\n#导出时间：[{_now()}]\n")
    stamp = day.replace("-", "")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(
            f"20880000000000010156_{stamp}_业务明细.csv", buffer.getvalue().encode("gbk")
        )
        bundle.writestr(f"20880000000000010156_{stamp}_业务明细(汇总).csv", "#汇总\n".encode("gbk"))
    return archive.getvalue()


def bill_row(
    trade_no: str, out_trade_no: str, kind: str, yuan: str, at: str, request_no: str = ""
) -> list[str]:
    """One detail row: kind is 交易 (a payment) or 退款 (a refund, with a negative amount)."""
    cells = [trade_no, out_trade_no, kind, "交通违法罚款", at, at, "", "", "", "", "159****5620"]
    cells += [yuan, yuan, "0.00", "0.00", "0.00", "0.00", "0.00", "", "0.00", "0.00"]
    return cells + [request_no, "0.00", "0.00", ""]
