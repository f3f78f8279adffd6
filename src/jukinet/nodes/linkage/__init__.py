"""The provision network's code component (情報提供ネットワークシステム): derives 機関別符号
from the 住民票コード J-LIS hands over, and gives each agency its own codes only."""
